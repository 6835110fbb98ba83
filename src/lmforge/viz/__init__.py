"""Seeing inside the model: attention maps, token views and the next-token view.

    lmforge viz attention "The cat sat on the mat" --layer 3 --out attn.png
    lmforge viz tokens "今天天气真好" --out tokens.html
    lmforge viz next "今天天气真" --top 10

attention.py computes maps (explicit attention path), attention_view.py draws them;
tokens.py and next_token.py compute and draw token probabilities; fonts.py finds a CJK
font on the system.
"""
