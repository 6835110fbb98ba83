"""An OpenAI-compatible HTTP server and a chat page over lmforge's Engine.

    lmforge serve --port 8000        then   curl localhost:8000/v1/chat/completions ...

Files: app.py (FastAPI app, guards, info routes), runner.py (the stepping thread),
chat.py / completions.py / embeddings.py (routes), generation.py (requests -> Engine
requests, streaming), tools.py (tool calls), logprobs.py, metrics.py, errors.py,
schemas.py (OpenAI's bodies), launch.py (uvicorn), static/ (the page).
"""
