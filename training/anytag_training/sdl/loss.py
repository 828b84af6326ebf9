"""The SDL loss (paper eq. 3–6), vectorised over the batch.

For image i with positives P_i and negatives N_i (unknown labels count as negatives):

    rank_i = Σ_{p∈P_i, n∈N_i} log(1 + exp(s_n − s_p)) / |P_i|
    div_i  = Σ_j Var_{p∈P_i}(w_p[j])                      (0 when |P_i| = 1)
    L_i    = (1 + div_i) · rank_i
    with the regulariser:  L_i = 2 · ((1 − λ) · L_i + λ · ‖Var_k(A_i)‖₁)
    L      = mean_i L_i

Variances are unbiased (torch.var's default, as in the official code). Edge cases, matching the
official code where it is finite and fixing it where it is not:
  - no negatives: the official code ranks each positive against a virtual negative of score 0,
    rank_i = Σ_p log(1 + exp(−s_p)) / |P_i|; we do the same;
  - no positives: the official code divides 0 by 0 (NaN); we set rank_i = div_i = 0, so such an
    image contributes only the regulariser (no ranking gradient);
  - K = 1: Var_k of one row is taken as 0 (the official code gets NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .head import score_labels


@dataclass(frozen=True)
class SDLLossConfig:
    lam: float = 0.3  # λ, the weight of the variance regulariser
    use_diversity: bool = True  # the (1 + div_i) weight; False = plain ranking loss
    use_regulariser: bool = True  # the λ·‖Var_k(A)‖₁ term


def positive_diversity(targets: torch.Tensor, word_vectors: torch.Tensor) -> torch.Tensor:
    """div_i = Σ_j unbiased Var over positives of w[j].  targets: [N, L] {0,1}, word_vectors: [L, d] → [N]."""
    pos = targets.to(word_vectors.dtype)  # [N, L]
    n_pos = pos.sum(dim=1, keepdim=True)  # [N, 1]
    mean = pos @ word_vectors / n_pos.clamp(min=1)  # [N, d]
    sq_dev = pos @ word_vectors.square() - n_pos * mean.square()  # [N, d] Σ_p (w_p − mean)²
    var = sq_dev.clamp(min=0) / (n_pos - 1).clamp(min=1)  # [N, d]
    return torch.where(n_pos.squeeze(1) > 1, var.sum(dim=1), torch.zeros_like(var[:, 0]))  # [N]


def row_variance_l1(a: torch.Tensor) -> torch.Tensor:
    """‖Var_k(A_i)‖₁: unbiased variance across the K rows, per dimension, summed.  a: [N, K, d] → [N]."""
    if a.shape[1] < 2:
        return a.new_zeros(a.shape[0])
    return a.var(dim=1).abs().sum(dim=1)  # [N, d] → [N]


def ranking_term(scores: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """rank_i = Σ_{p∈P_i, n∈N_i} log(1 + exp(s_n − s_p)) / |P_i|.  scores, targets: [N, L] → [N].

    Positives are gathered into a padded [N, P_max] block, so memory is N·P_max·L, not N·L².
    """
    pos = targets > 0  # [N, L]
    neg = ~pos
    n_pos = pos.sum(dim=1)  # [N]
    p_max = max(int(n_pos.max()), 1)
    order = pos.to(torch.int8).argsort(dim=1, descending=True, stable=True)[:, :p_max]  # [N, P] positives first
    valid = torch.gather(pos, 1, order)  # [N, P] is this slot a real positive
    s_pos = torch.gather(scores, 1, order)  # [N, P]
    pair = F.softplus(scores.unsqueeze(1) - s_pos.unsqueeze(2))  # [N, P, L]: log(1+exp(s_n − s_p))
    mask = valid.unsqueeze(2) & neg.unsqueeze(1)  # [N, P, L]
    summed = (pair * mask).sum(dim=(1, 2))  # [N]
    # no negatives: rank against a virtual negative of score 0 (official behaviour)
    no_neg = (valid * F.softplus(-s_pos)).sum(dim=1)  # [N]
    summed = torch.where(neg.any(dim=1), summed, no_neg)
    return torch.where(n_pos > 0, summed / n_pos.clamp(min=1), torch.zeros_like(summed))  # [N]


def sdl_loss(
    a: torch.Tensor, targets: torch.Tensor, word_vectors: torch.Tensor, cfg: SDLLossConfig = SDLLossConfig()
) -> torch.Tensor:
    """a: [N, K, d] embedding matrices; targets: [N, L] {0,1} over the seen labels; word_vectors: [L, d]."""
    a = a.float()
    scores = score_labels(a, word_vectors)  # [N, L]
    loss = ranking_term(scores, targets)  # [N]
    if cfg.use_diversity:
        loss = (1 + positive_diversity(targets, word_vectors)) * loss  # (1 + div_i) · rank_i
    if cfg.use_regulariser:
        loss = 2 * ((1 - cfg.lam) * loss + cfg.lam * row_variance_l1(a))
    return loss.mean()
