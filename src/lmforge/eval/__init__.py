"""Evaluation: perplexity, multiple choice, generation metrics, pass@k, task files.

    lmforge eval arithmetic mc_en mc_zh --model smollm2-135m-instruct --shots 3
    lmforge eval perplexity held_out.txt --context 512 --stride 256 --json

perplexity.py and loglikelihood.py score text; metrics.py holds BLEU/chrF/ROUGE/pass@k;
tasks.py and prompting.py read task files and build prompts; runner.py runs tasks and
writes the results table; harness.py plugs lmforge models into lm-evaluation-harness.
"""
