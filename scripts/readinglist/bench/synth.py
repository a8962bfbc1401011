"""Synthetic dumps for benchmarks: N realistic papers spread over the four formats.

Pure functions of (N, seed): the same call always returns the same text.  The
papers look like the real dumps where it matters for speed and for the parser:
titles with camel case, acronyms, hyphens and colons; author lists with
particles, initials and lower-case names; abstracts of 120-260 words with TeX
accents, font commands, percent signs and `$...$` math; dates with and without
years, upvotes, organizations and "Code" flags.  About `repeat` of the papers
appear in a second dump (another format, sometimes a shorter abstract), as they
do when listings overlap.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from typing import Optional

from readinglist.text import title_key
from readinglist.ingest.normalize import MONTHS

FORMATS = ("org-listing", "daily-papers", "line-pairs", "blank-pairs")
MONTH_ABBR = {i: m for m, i in MONTHS.items()}
RECORDS_PER_DUMP = 1000
CAPTURED = dt.date(2025, 12, 3)  # every dump is captured on this day (latest paper date is earlier)

# --------------------------------------------------------------------------- word pools

_SYLLABLES = ["flash", "spec", "quant", "sparse", "turbo", "mega", "tiny", "deep", "fast", "lite", "hydra",
              "zip", "star", "nova", "fusion", "infer", "serve", "prune", "mix", "route", "orca", "llama",
              "vibe", "lumen", "atlas", "pico", "nano", "hyper", "omni", "quasar", "kv", "token", "lora",
              "gemm", "vortex", "echo", "sigma", "delta", "zeta", "arc", "mamba", "rwkv", "stream", "shard"]
_ACRONYMS = ["LLM", "LLMs", "MoE", "KV", "GPU", "TPU", "CNN", "ViT", "SSM", "RL", "NAS", "PTQ", "QAT", "FP8",
             "INT4", "SLM", "RAG", "DNN", "RNN", "MLP", "VLM", "ASR", "CTR", "NLP", "HPC", "FPGA", "ASIC"]
_TOPIC_PHRASES = [
    "Quantization", "Low-Bit Quantization", "Post-Training Quantization", "Structured Pruning",
    "Unstructured Sparsity", "Knowledge Distillation", "Mixture-of-Experts", "Expert Parallelism",
    "Linear Attention", "Sparse Attention", "Long-Context Inference", "KV Cache Compression",
    "State Space Models", "Neural Architecture Search", "Low-Rank Adaptation", "Prompt Tuning",
    "LLM Serving", "Continuous Batching", "Speculative Decoding", "Parallel Decoding",
    "Pipeline Parallelism", "Tensor Parallelism", "Data Parallelism", "Activation Checkpointing",
    "Memory Offloading", "Scaling Laws", "Data Filtering", "Test-Time Compute", "Federated Learning",
    "On-Device Inference", "Retrieval-Augmented Generation", "Model Routing", "Diffusion Sampling",
    "Recommender Systems", "Hardware Accelerators", "Mixed-Precision Training", "Optimizer States",
    "Token Dropping", "Early Exiting", "Weight Sharing", "Dynamic Sparsity", "Curriculum Learning",
]
_TASKS = ["Large Language Models", "Vision Transformers", "Text-to-Image Generation", "Speech Recognition",
          "Mathematical Reasoning", "Code Generation", "Recommendation", "Edge Devices", "Multimodal Models",
          "Graph Neural Networks", "Video Understanding", "Machine Translation", "Robot Learning",
          "Scientific Discovery", "Time-Series Forecasting", "Instruction Tuning", "Reinforcement Learning"]
_TITLE_VERBS = ["Scaling", "Accelerating", "Rethinking", "Towards", "Revisiting", "Understanding", "Taming",
                "Compressing", "Serving", "Training", "Fine-Tuning", "Distilling", "Pruning", "Routing"]
_TITLE_ADJ = ["Efficient", "Fast", "Scalable", "Memory-Efficient", "Lossless", "Adaptive", "Hardware-Aware",
              "Communication-Efficient", "Training-Free", "Robust", "Simple", "Unified", "Near-Optimal"]
_GIVEN = ["Wei", "Yibo", "Zhewei", "Samyam", "Jaeseong", "Olatunji", "Ammar", "Minjia", "Philip", "Bonnie",
          "Chenwei", "Corbin", "Mert", "Aurick", "Pareesa", "Siddharth", "Nikki", "Fengxiang", "Shuaiwen",
          "Anna", "Lukas", "Sofia", "Mateo", "Hiroshi", "Priya", "Arjun", "Elena", "Jonas", "Maria", "Tomás",
          "Ingrid", "Kwame", "Amara", "Yuki", "Dmitri", "Leila", "Rafael", "Noor", "Chloé", "Björn",
          "Jean-Luc", "Hai-Tao", "J.", "A."]
_FAMILY = ["Wen", "Yang", "Yao", "Rajbhandari", "Lee", "Ruwase", "Awan", "Zhang", "Yu", "Kruft", "Xie",
           "McElhanney", "Hidayetoglu", "Qiao", "Golnari", "Singh", "Kuang", "Bie", "Song", "Müller",
           "Rossi", "García", "Tanaka", "Patel", "Sharma", "Ivanova", "Schmidt", "Silva", "Dubois", "Mensah",
           "Okafor", "Sato", "Petrov", "Haddad", "Costa", "Khan", "Lefèvre", "Johansson", "O'Brien",
           "van der Berg", "de la Cruz", "Nguyen", "Kim", "Park", "Chen", "Li", "Wang", "Liu", "Zhou"]
_LOWER_NAMES = ["seung-won hwang", "danqi chen", "yi tay"]
_ORGS = ["microsoft-research", "google", "meta-llama", "nvidia", "Snowflake", "WeiboAI", "deepseek-ai",
         "Qwen", "allenai", "mistralai", "ibm-granite", "apple", "amazon", "intel", "tencent", "baidu"]
_CATEGORIES = ["LG", "CL", "CV", "DC", "AI", "AR", "SE", "PF", "NE", "IR"]

_OPENERS = [
    "{Task} have demonstrated remarkable capabilities, yet their {cost} grows with {thing}.",
    "The {thing} of {task} is the main bottleneck of deployment on {hw}.",
    "Challenging the prevailing consensus that small models lack {ability}, we study {topic} at scale.",
    "Recent work on {topic} reduces {cost}, but existing systems force trade-offs between latency and accuracy.",
    "As {task} grow in size and complexity, they often exceed the memory capacity of a single {hw}.",
]
_MIDDLES = [
    "In this paper, we introduce {Method}, a {adj} approach to {topic} that requires no retraining.",
    "We present {Method}, which combines {topic} with {topic2} in a single pass.",
    "Our key insight is that {thing} is highly redundant across {unit}, so most of it can be skipped.",
    "{Method} partitions the {unit} into blocks and schedules them with a {adj} policy.",
    "We analyze {topic} theoretically and show a bound of {math} under mild assumptions.",
    "Unlike prior work, {Method} keeps {unit} in {fmt} while preserving accuracy within {pct}.",
    "We further propose {Method2}, a {adj} kernel that fuses {unit} and reduces memory traffic.",
    "Experiments cover {n} benchmarks, including {bench} and {bench2}, with models from 1B to {size}B parameters.",
    "The method is implemented in {framework} and released with {tex} support for {hw}.",
]
_CLOSERS = [
    "On {hw}, {Method} achieves a {speedup} speedup and {pct} lower memory than the baseline.",
    "Results show up to {speedup} higher throughput at {pct} of the cost ({money} per million tokens).",
    "Code and checkpoints are available at github.com/{org}/{method}.",
    "These findings suggest that {topic} and {topic2} are complementary for {task}.",
]
_FILL = {
    "cost": ["computational cost", "memory footprint", "inference latency", "energy consumption", "training time"],
    "thing": ["sequence length", "the number of experts", "model size", "the KV cache", "batch size",
              "context length", "the vocabulary", "activation memory"],
    "ability": ["robust reasoning", "long-context recall", "calibration", "compositional generalization"],
    "hw": ["GPUs", "A100 GPUs", "H100 clusters", "edge devices", "mobile phones", "TPU pods", "FPGAs",
           "Intel Gaudi accelerators", "commodity CPUs"],
    "unit": ["attention heads", "layers", "tokens", "experts", "weight matrices", "channels", "micro-batches"],
    "fmt": ["FP8", "INT4", "2:4 sparsity", "a low-rank factorization", "half precision"],
    "bench": ["MMLU", "GSM8K", "HumanEval", "ImageNet", "LongBench", "WikiText-103", "C4", "MT-Bench"],
    "framework": ["PyTorch", "JAX", "vLLM", "DeepSpeed", "Megatron-LM", "TensorRT-LLM", "Triton"],
    "tex": [r"\textit{fused}", r"{\sc MwpBench}", r"{\tt torch.compile}", r"T\"ulu", r"M\'elange",
            r"\emph{paged}", r"na\"ive"],
}
_MATH = [r"$O(n^2)$", r"$O(n \log n)$", r"$\mathcal{O}(\sqrt{T})$", r"$\frac{k^n}{\sqrt{n}}$",
         r"$8.5\times$", r"$\epsilon$-optimal", r"$W \approx AB^\top$", r"$2^{-k}$", r"$\ell_2$"]


@dataclass(frozen=True)
class SynthPaper:
    title: str
    abstract: str
    authors: tuple[str, ...]
    et_al: bool
    author_count: int
    organization: Optional[str]
    date: dt.date
    category: str
    upvotes: int
    has_code: bool


def _method_name(rng: random.Random) -> str:
    a, b = rng.sample(_SYLLABLES, 2)
    name = a.capitalize() + b.capitalize()
    roll = rng.random()
    if roll < 0.25:
        name += rng.choice(["-7B", "-1.5B", "2", "++", "-LLM", "4Science", "Net"])
    elif roll < 0.4:
        name = name.upper()[: rng.randint(3, 6)]
    return name


def _title(rng: random.Random, method: str) -> str:
    topic, task = rng.choice(_TOPIC_PHRASES), rng.choice(_TASKS)
    shapes = [
        f"{method}: {rng.choice(_TITLE_ADJ)} {topic} for {task}",
        f"{rng.choice(_TITLE_VERBS)} {topic} in {task} with {method}",
        f"{method}: {rng.choice(_TITLE_VERBS)} {rng.choice(_ACRONYMS)} {topic}",
        f"{rng.choice(_TITLE_ADJ)} {topic} for {rng.choice(_ACRONYMS)}-Based {task}",
        f"Are All the {rng.choice(_FILL['unit']).title()} of {task} Important?",
        f"{topic} Meets {rng.choice(_TOPIC_PHRASES)}: {method} for {task}",
    ]
    title = rng.choice(shapes)
    if rng.random() < 0.08:  # real titles carry math and symbols too
        title += rng.choice([" in $O(n)$ Time", " at 1.58 Bits", " (Extended Version)", " & Beyond"])
    return title[:115].rstrip(" :-&(")


def _sentence(rng: random.Random, template: str, method: str, method2: str) -> str:
    values = {k: rng.choice(v) for k, v in _FILL.items()}
    values.update(
        Task=rng.choice(_TASKS), task=rng.choice(_TASKS).lower(), topic=rng.choice(_TOPIC_PHRASES).lower(),
        topic2=rng.choice(_TOPIC_PHRASES).lower(), Method=method, Method2=method2, method=method.lower(),
        adj=rng.choice(_TITLE_ADJ).lower(), math=rng.choice(_MATH), n=rng.randint(3, 40),
        size=rng.choice([7, 13, 70, 175, 405]), speedup=f"{rng.uniform(1.2, 9.9):.1f}x",
        pct=f"{rng.randint(5, 95)}\\%", money=f"\\${rng.uniform(0.1, 9):.2f}", org=rng.choice(_ORGS),
        bench2=rng.choice(_FILL["bench"]))
    return template.format(**values)


# Real abstracts use a large vocabulary (406 real ones hold ~10,800 distinct
# words); sentences of Zipf-distributed made-up words give the synthetic ones
# a vocabulary that grows with N the same way, which is what a search index feels.
_LEXICON_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"] + ["tion", "ment", "ing", "er", "al"]
_FUNCTION_WORDS = ["the", "of", "and", "to", "with", "in", "for", "a", "on", "by", "that", "is"]


def _lexicon_word(rank: int) -> str:
    out, rank = [], rank + len(_LEXICON_SYLLABLES)  # two syllables or more
    while rank:
        rank, digit = divmod(rank, len(_LEXICON_SYLLABLES))
        out.append(_LEXICON_SYLLABLES[digit])
    return "".join(out)


def _free_sentence(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(14, 26)):
        if rng.random() < 0.3:
            words.append(rng.choice(_FUNCTION_WORDS))
        else:
            words.append(_lexicon_word(int(rng.paretovariate(0.25)) % 2_000_000))
    return " ".join(words).capitalize() + "."


def _abstract(rng: random.Random, method: str) -> str:
    method2 = _method_name(rng)
    parts = [_sentence(rng, rng.choice(_OPENERS), method, method2)]
    for _ in range(rng.randint(4, 9)):
        parts.append(_sentence(rng, rng.choice(_MIDDLES), method, method2))
        if rng.random() < 0.8:
            parts.append(_free_sentence(rng))
    parts.append(_sentence(rng, rng.choice(_CLOSERS), method, method2))
    return " ".join(parts)


def _family_name(rng: random.Random) -> str:
    syllables = ["ko", "wal", "czyk", "ber", "ga", "mon", "ti", "ra", "sen", "ha", "ya", "shi", "no", "vic",
                 "dor", "el", "an", "ius", "mer", "lin", "qu", "zhe", "tan", "ova", "ssen", "ri", "gu", "ez"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def _authors(rng: random.Random) -> tuple[tuple[str, ...], bool, int]:
    count = rng.choice([1, 2, 2, 3, 3, 4, 5, 6, 8, 12, 25])
    names = []
    for k in range(min(count, 3)):
        if k > 0 and rng.random() < 0.05:
            names.append(rng.choice(_LOWER_NAMES))
            continue
        given = rng.choice(_GIVEN if k > 0 else [g for g in _GIVEN if "." not in g])
        middle = f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.15 else ""
        # Real author lists hold thousands of family names: most are made up here.
        family = rng.choice(_FAMILY) if rng.random() < 0.4 else _family_name(rng)
        names.append(f"{given}{middle} {family}")
    return tuple(names), count > 3, count


def make_papers(n: int, seed: int = 0) -> list[SynthPaper]:
    """`n` papers with distinct title keys, deterministic in `seed`."""
    rng = random.Random(seed)
    papers: list[SynthPaper] = []
    keys: set[str] = set()
    first, span = dt.date(2017, 1, 1).toordinal(), (dt.date(2025, 11, 30) - dt.date(2017, 1, 1)).days
    while len(papers) < n:
        method = _method_name(rng)
        title = _title(rng, method)
        key = title_key(title)
        if key in keys:
            continue
        keys.add(key)
        authors, et_al, count = _authors(rng)
        papers.append(SynthPaper(
            title=title, abstract=_abstract(rng, method), authors=authors, et_al=et_al, author_count=count,
            organization=rng.choice(_ORGS) if rng.random() < 0.3 else None,
            date=dt.date.fromordinal(first + int(span * rng.random() ** 0.5)),  # more recent papers
            category=rng.choice(_CATEGORIES), upvotes=int(rng.paretovariate(1.2)) - 1,
            has_code=rng.random() < 0.4))
    return papers


# --------------------------------------------------------------------------- dumps


def _date_text(date: dt.date, captured: dt.date) -> str:
    """`May 30` for a date of the capture year (on or before it), else `May 30, 2024`."""
    text = f"{MONTH_ABBR[date.month]} {date.day}"
    return text if date.year == captured.year and date <= captured else f"{text}, {date.year}"


def _org_safe_title(title: str) -> str:
    # A comma inside the title can make the title/author split ambiguous; real
    # listings have such titles, but the benchmark wants clean records.
    return title.replace(", ", " ")


def render_org_listing(papers: list[SynthPaper], captured: dt.date) -> str:
    lines = []
    for p in papers:
        lines.append(f"{p.category}{_date_text(p.date, captured)}{'Code' if p.has_code else ''}")
        byline = ", ".join(p.authors) + (" et al." if p.et_al else "")
        org = f" · {p.organization}" if p.organization else ""
        lines.append(f"{_org_safe_title(p.title)}{byline}{org}")
        lines.append(p.abstract)
    return "\n".join(lines) + "\n"


DAILY_CHROME = ["new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers",
                "byAK and the research community"]


def render_daily_papers(papers: list[SynthPaper], captured: dt.date) -> str:
    blocks = list(DAILY_CHROME) + [f"{MONTH_ABBR[captured.month]} {captured.day}"]
    for p in papers:
        blocks += [p.title, p.abstract]
        who = f"  • {p.author_count} author{'s' if p.author_count != 1 else ''}" if not p.organization \
            else f"{p.organization} {p.organization}"
        votes = f" {p.upvotes}" if p.upvotes else ""
        blocks.append(f"{who}\n·\n{_date_text(p.date, captured)}{votes}")
    return "\n\n".join(blocks) + "\n"


def render_line_pairs(papers: list[SynthPaper], captured: dt.date) -> str:
    lines = ["Get trending papers in your email inbox once a day!", "Get trending papers in your email inbox!"]
    for i, p in enumerate(papers):
        lines += [("Subscribe" if i == 0 else "") + p.title, p.abstract]
    return "\n".join(lines) + "\n"


def render_blank_pairs(papers: list[SynthPaper], captured: dt.date) -> str:
    blocks = list(DAILY_CHROME)
    for p in papers:
        blocks += [p.title, p.abstract]
    return "\n\n".join(blocks) + "\n"


RENDERERS = {"org-listing": render_org_listing, "daily-papers": render_daily_papers,
             "line-pairs": render_line_pairs, "blank-pairs": render_blank_pairs}


@dataclass
class SynthDumps:
    files: dict[str, str]  # file name -> dump text, in manifest order
    formats: dict[str, str]  # file name -> format
    manifest: str  # site_config/sources.yml
    papers: int
    records: int
    repeated: int
    home_formats: list[str]  # the format of each paper's first dump, by paper index


def make_dumps(papers: list[SynthPaper], repeat: float = 0.1, seed: int = 0,
               per_dump: int = RECORDS_PER_DUMP) -> SynthDumps:
    """Spread `papers` over dumps of every format; about `repeat` of them twice."""
    rng = random.Random(seed + 1)
    n_dumps = max(4, -(-int(len(papers) * (1 + repeat)) // per_dump))
    n_dumps += -n_dumps % 4  # the same number of dumps of each format
    buckets: list[list[SynthPaper]] = [[] for _ in range(n_dumps)]
    homes = []
    for i, p in enumerate(papers):
        home = i % n_dumps
        buckets[home].append(p)
        homes.append(FORMATS[home % 4])
        if rng.random() < repeat:
            other = (home + rng.randint(1, 3)) % n_dumps  # another format
            if rng.random() < 0.3:  # a listing that truncated the abstract
                p = replace(p, abstract=p.abstract[: max(200, len(p.abstract) // 2)].rsplit(" ", 1)[0] + " ...")
            buckets[other].append(replace(p, upvotes=p.upvotes + rng.randint(0, 5)))
    files, formats, entries = {}, {}, []
    for k, bucket in enumerate(buckets):
        fmt = FORMATS[k % 4]
        name = f"{k:03d}_synthetic_{fmt}.txt"
        files[name] = RENDERERS[fmt](bucket, CAPTURED)
        formats[name] = fmt
        dated = fmt in ("org-listing", "daily-papers")
        entries.append(f"  - file: {name}\n" + (f"    captured: {CAPTURED.isoformat()}\n" if dated else ""))
    manifest = "# Synthetic dumps written by `readinglist bench`.\ndumps:\n" + "".join(entries)
    return SynthDumps(files, formats, manifest, len(papers), sum(len(b) for b in buckets),
                      sum(len(b) for b in buckets) - len(papers), homes)


def extra_papers(k: int, seed: int, avoid: set[str]) -> list[SynthPaper]:
    """`k` more papers whose titles differ from every key in `avoid`."""
    out = []
    for p in make_papers(k + len(avoid) // 50 + 50, seed=seed):
        if title_key(p.title) not in avoid:
            out.append(p)
        if len(out) == k:
            break
    return out
