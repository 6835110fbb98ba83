"""Settings of every training run: dataclasses with defaults, one docstring line per field.

    TrainSettings      the loop: steps, batch, optimizer, schedule, precision, checkpoints
    DataSettings       pretraining text: source, tokenizer, token shards
    PolicySettings     the model a run trains, and how: in full, with LoRA or QLoRA
    FinetuneSettings   PolicySettings + the objective and its data (sft, reward, dpo)
    RLSettings         PolicySettings + tasks, verifier or reward model, rollouts (grpo, ppo)

Each field's docstring line is the `--help` text and the YAML comment. A recipe file names
these as sections (recipe.py reads it; pipeline.py says which sections each run has).

Test: `pytest tests/train/test_settings.py`.
"""

from dataclasses import dataclass
from typing import Literal

from lmforge.errors import ConfigError
from lmforge.train.lora import DEFAULT_TARGETS


@dataclass
class TrainSettings:
    """How to train: batch, optimizer, schedule, precision, cadence of evals and checkpoints."""

    out_dir: str = "runs/pretrain"
    """Folder for checkpoints, metrics.csv, TensorBoard logs and loss.png."""
    max_steps: int = 1000
    """Optimizer steps to train for."""
    batch_size: int = 8
    """Sequences per micro-step over ALL ranks (each rank takes batch_size / world_size)."""
    block_size: int = 256
    """Tokens per training sequence (the context length seen in training)."""
    grad_accum_steps: int = 1
    """Micro-steps whose gradients are summed before one optimizer step."""
    lr: float = 6e-4
    """Peak learning rate, reached after warmup."""
    min_lr: float = 6e-5
    """Learning rate at the end of the cosine decay."""
    warmup_steps: int = 100
    """Steps of linear warmup from 0 to lr."""
    lr_decay_steps: int | None = None
    """Step at which the cosine reaches min_lr; None means max_steps."""
    weight_decay: float = 0.1
    """AdamW decoupled weight decay on matrices (never on norms, biases, embeddings)."""
    beta1: float = 0.9
    """AdamW first-moment decay."""
    beta2: float = 0.95
    """AdamW second-moment decay."""
    grad_clip: float = 1.0
    """Clip the global gradient norm to this (0 disables)."""
    precision: Literal["fp32", "bf16", "fp16", "auto"] = "fp32"
    """Autocast dtype for forward/backward; weights and optimizer stay fp32. auto: bf16 where
    the device multiplies bf16 in hardware (CUDA with bf16, a CPU with AMX or AVX-512 BF16),
    else fp32."""
    activation_checkpointing: bool = False
    """Recompute block activations in backward: less memory, ~30% more compute."""
    compile: bool = False
    """Run the model through torch.compile (slow start, faster steps)."""
    eval_every: int = 250
    """Evaluate validation loss every N steps (and at the end); 0 disables."""
    eval_batches: int = 50
    """Validation batches per evaluation (spread over the whole split)."""
    sample_every: int = 0
    """Generate a text sample every N steps (and at the end); 0 disables."""
    sample_prompt: str = "The"
    """Prompt for the periodic samples."""
    sample_tokens: int = 64
    """Tokens to generate per sample."""
    log_every: int = 10
    """Log train loss, lr and tokens/s every N steps."""
    checkpoint_every: int = 0
    """Save a checkpoint every N steps (and at the end); 0 means only at the end."""
    keep_last: int = 2
    """Checkpoints to keep (older ones are deleted); 0 keeps all."""
    seed: int = 1337
    """Seed for weights init, data order and masking."""
    strategy: Literal["none", "ddp", "fsdp"] = "none"
    """Data parallelism under torchrun: none, ddp (replicas) or fsdp (sharded, FSDP2)."""
    resume: str = ""
    """Continue from a checkpoint: '' (fresh), 'latest' (newest in out_dir) or a folder."""
    device: str = "auto"
    """auto (cuda when present, else cpu), cpu, cuda, or cuda:N."""
    num_threads: int = 0
    """CPU threads for torch; 0 leaves torch's default."""
    progress: bool = True
    """Show a progress bar on stderr."""
    tensorboard: bool = True
    """Also write TensorBoard event files to out_dir/tb."""

    def __post_init__(self) -> None:
        positive = ("max_steps", "batch_size", "block_size", "grad_accum_steps", "log_every")
        for name in positive:
            if getattr(self, name) < 1:
                raise ConfigError(f"train.{name} must be >= 1, got {getattr(self, name)}")
        if self.precision not in ("fp32", "bf16", "fp16", "auto"):
            raise ConfigError("train.precision must be fp32, bf16, fp16 or auto, "
                              f"got {self.precision!r}")
        if self.strategy not in ("none", "ddp", "fsdp"):
            raise ConfigError(f"train.strategy must be none, ddp or fsdp, got {self.strategy!r}")
        if not 0 <= self.min_lr <= self.lr:
            raise ConfigError(f"train.min_lr {self.min_lr} must be in [0, lr={self.lr}]")
        if self.warmup_steps < 0:
            raise ConfigError(f"train.warmup_steps must be >= 0, got {self.warmup_steps}")


@dataclass
class DataSettings:
    """Where the text comes from, which tokenizer reads it, and where the shards go."""

    source: str = "stdlib-docs"
    """Corpus: a text/jsonl/parquet file, a folder, 'stdlib-docs' or a HF dataset name."""
    tokenizer: str = ""
    """Existing tokenizer folder (tokenizer.json); '' trains one into out_dir/tokenizer."""
    tokenizer_kind: Literal["bpe", "char"] = "bpe"
    """Kind of tokenizer to train when none is given: bpe or char."""
    vocab_size: int = 4096
    """Vocabulary size of a trained tokenizer (an upper bound for char)."""
    prepared_dir: str = ""
    """Token shards folder; '' means out_dir/data. Reused when its manifest matches."""
    val_fraction: float = 0.05
    """Share of documents (or of tokens, for one big file) held out for validation."""
    num_workers: int = 1
    """Tokenizer processes for prepare; 0 means one per CPU core."""
    pairs: str = ""
    """Seq2seq only: a JSONL of {"source", "target"} pairs instead of span corruption."""


@dataclass
class PolicySettings:
    """The model a run trains: every weight, LoRA adapters, or adapters over an int4 base."""

    model: str = "smollm2-135m-instruct"
    """Base model: bundled name, folder, .gguf or Hugging Face repo."""
    lora_rank: int = 0
    """LoRA rank; 0 trains all weights (a reference, where one is needed, is a frozen copy)."""
    lora_alpha: float = 16.0
    """LoRA alpha (the update is scaled by alpha / rank)."""
    lora_dropout: float = 0.0
    """Dropout on the LoRA input."""
    lora_targets: str = DEFAULT_TARGETS
    """Regex over linear names (full or last part), e.g. 'q_proj|v_proj'."""
    rslora: bool = False
    """rsLoRA scaling alpha / sqrt(rank)."""
    qlora: bool = False
    """Freeze the base in int4 (group-wise) under the LoRA adapters."""
    qlora_group_size: int = 64
    """Weights per int4 scale."""

    def __post_init__(self) -> None:
        if self.qlora and self.lora_rank < 1:
            raise ConfigError("qlora needs LoRA adapters: set lora_rank (e.g. 8)")


@dataclass
class FinetuneSettings(PolicySettings):
    """What to fine-tune, on what, and how (the policy fields above, DPO's beta)."""

    objective: str = "sft"
    """sft, reward or dpo (or any registered objective that reads these records)."""
    data: str = ""
    """JSONL file (chat, alpaca or preference records); 'synthetic:instructions:N' or
    'synthetic:preferences:N' generates a seeded demo set."""
    held_out: float = 0.1
    """Share of records held out for evaluation."""
    packing: bool = True
    """SFT: pack several examples per block (each attends only to itself)."""
    beta: float = 0.1
    """DPO: strength of the pull towards the reference."""
    loss_type: str = "sigmoid"
    """DPO loss: sigmoid (DPO) or ipo."""
    sample_prompts: int = 8
    """SFT: held-out prompts answered through the Engine at each evaluation."""
    sample_tokens: int = 40
    """SFT: tokens per sampled reply."""
    format_check: str = ""
    """SFT: 'answer_tags' logs the share of sampled replies in the synthetic set's format."""


@dataclass
class RLSettings(PolicySettings):
    """What to train with RL, on which tasks, checked by which verifier (or reward model)."""

    lora_rank: int = 16
    """LoRA rank; 0 trains every weight (with a frozen copy as the reference)."""
    lora_alpha: float = 32.0
    """LoRA alpha."""
    task: str = "arithmetic"
    """arithmetic, python, json (generated), or a tasks JSONL file."""
    level: int = 2
    """Arithmetic difficulty, 1-5."""
    eval_task: str = ""
    """Held-out tasks JSONL (default: the generated task's test split)."""
    num_train_tasks: int = 400
    """Generated training problems (train split)."""
    num_eval_tasks: int = 100
    """Generated held-out problems (test split)."""
    verifier: str = ""
    """Verifier name or JSON spec (default by task: exact_match, code, json_match)."""
    group_size: int = 8
    """Completions sampled per prompt (G)."""
    prompts_per_rollout: int = 4
    """Prompts per rollout batch."""
    updates_per_rollout: int = 1
    """Optimizer steps on each rollout batch (mu)."""
    clip_eps: float = 0.2
    """PPO clip range of the probability ratio."""
    beta: float = 0.04
    """Weight of the k3 KL penalty to the reference."""
    temperature: float = 1.0
    """Sampling temperature of the rollouts."""
    max_new_tokens: int = 96
    """Most tokens per sampled completion."""
    system: str = ""
    """System message for every prompt."""
    eval_before: bool = True
    """Measure held-out accuracy of the starting policy too."""
    eval_max_new_tokens: int = 128
    """Most tokens per held-out answer (greedy)."""
    reward_model: str = ""
    """PPO: reward model folder (from `lmforge rm`)."""
    kl_coef: float = 0.05
    """PPO: per-token KL penalty in the reward."""
    vf_coef: float = 0.1
    """PPO: weight of the value loss."""
    gae_lambda: float = 0.95
    """PPO: GAE lambda (gamma is 1: rewards arrive at the end of a reply)."""
