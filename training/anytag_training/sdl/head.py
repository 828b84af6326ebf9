"""The SDL head: backbone features → embedding matrix A with K principal vectors of dimension d.

Paper §3: A = reshape(W_h · f(x)), W_h ∈ R^{K·d × F}, no bias. Relevance of label w: s(w) = max_k ⟨A_k, w⟩.
Memory order of the flat output is "kd": element (row k, dim j) sits at k·d + j. (The official code
reads the same flat vector as d×K, "dk"; both are valid pack orders, ours is "kd".)
"""

from __future__ import annotations

import torch
from torch import nn


class SDLHead(nn.Module):
    """Linear(features → K·d, no bias), read as K rows of dimension d."""

    def __init__(self, in_features: int, k: int, d: int) -> None:
        super().__init__()
        self.k, self.d = k, d
        self.proj = nn.Linear(in_features, k * d, bias=False)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        flat = self.proj(features)  # [N, K·d]
        return flat.view(flat.shape[0], self.k, self.d)  # [N, K, d]


class SDLModel(nn.Module):
    """backbone (input → [N, F] pooled features) + SDLHead. Output A: [N, K, d]."""

    def __init__(self, backbone: nn.Module, head: SDLHead) -> None:
        super().__init__()
        self.backbone = backbone
        self.head = head

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.backbone(x))  # [N, K, d]


def score_labels(a: torch.Tensor, word_vectors: torch.Tensor) -> torch.Tensor:
    """s_l = max_k ⟨A_k, w_l⟩.  a: [N, K, d], word_vectors: [L, d] (unit rows) → [N, L]."""
    dots = torch.einsum("nkd,ld->nkl", a, word_vectors)  # [N, K, L]
    return dots.amax(dim=1)  # [N, L]
