"""SDL loss against hand-computed values (paper eq. 3–6, official ZS_SDL semantics)."""

import math

import pytest
import torch

from anytag_training.sdl.head import SDLHead, score_labels
from anytag_training.sdl.loss import SDLLossConfig, positive_diversity, ranking_term, row_variance_l1, sdl_loss

PLAIN = SDLLossConfig(use_diversity=False, use_regulariser=False)
LAM = 0.3


def sp(x: float) -> float:
    return math.log1p(math.exp(x))


def t(rows: list[list[float]]) -> torch.Tensor:
    return torch.tensor(rows, dtype=torch.float32)


def test_one_positive_no_negatives_ranks_against_zero() -> None:
    a = t([[1.0, 0.0]]).view(1, 1, 2)  # [N=1, K=1, d=2]
    w = t([[1.0, 0.0]])  # one label
    y = t([[1.0]])
    assert sdl_loss(a, y, w, PLAIN).item() == pytest.approx(sp(-1.0))
    # div = 0 (one positive); K = 1 → Var_k = 0: L = 2·(1 − λ)·rank
    assert sdl_loss(a, y, w).item() == pytest.approx(2 * (1 - LAM) * sp(-1.0))


def test_one_positive_two_negatives() -> None:
    a = t([[1.0, 0.0]]).view(1, 1, 2)
    w = t([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])  # s = [1, 0, −1]
    y = t([[1.0, 0.0, 0.0]])
    rank = sp(0 - 1) + sp(-1 - 1)
    assert sdl_loss(a, y, w, PLAIN).item() == pytest.approx(rank)
    assert sdl_loss(a, y, w).item() == pytest.approx(2 * (1 - LAM) * rank)


def test_many_positives_diversity_and_regulariser() -> None:
    a = t([[1, 0, 0], [0, 2, 0]]).view(1, 2, 3)  # K = 2 rows
    w = t([[1, 0, 0], [0, 1, 0], [0, 0, 1]])  # s = [1, 2, 0]
    y = t([[1, 1, 0]])
    rank = (sp(0 - 1) + sp(0 - 2)) / 2
    div = 0.5 + 0.5 + 0.0  # unbiased variance of (1, 0) is 0.5 per dimension
    var_rows = 0.5 + 2.0 + 0.0  # unbiased variance across rows: (1, 0) → 0.5, (0, 2) → 2
    assert positive_diversity(y, w).item() == pytest.approx(div)
    assert row_variance_l1(a).item() == pytest.approx(var_rows)
    assert sdl_loss(a, y, w, SDLLossConfig(use_regulariser=False)).item() == pytest.approx((1 + div) * rank)
    assert sdl_loss(a, y, w).item() == pytest.approx(2 * ((1 - LAM) * (1 + div) * rank + LAM * var_rows))
    assert sdl_loss(a, y, w, SDLLossConfig(lam=0.5)).item() == pytest.approx(2 * (0.5 * (1 + div) * rank + 0.5 * var_rows))


def test_no_positive_is_harmless() -> None:
    a = torch.randn(2, 3, 4, requires_grad=True)
    w = torch.nn.functional.normalize(torch.randn(5, 4), dim=1)
    y = torch.zeros(2, 5)
    loss = sdl_loss(a, y, w)
    loss.backward()
    assert torch.isfinite(loss) and torch.isfinite(a.grad).all()
    assert loss.item() == pytest.approx(2 * LAM * row_variance_l1(a.detach()).mean().item(), rel=1e-5)
    assert ranking_term(score_labels(a.detach(), w), y).abs().max().item() == 0.0


def reference_loss(a: torch.Tensor, y: torch.Tensor, w: torch.Tensor, lam: float) -> torch.Tensor:
    """A per-image loop written straight from the equations."""
    losses = []
    s = torch.einsum("nkd,ld->nkl", a, w).amax(1)
    for i in range(a.shape[0]):
        p, n = s[i][y[i] == 1], s[i][y[i] == 0]
        rank = torch.log1p(torch.exp(n[None, :] - p[:, None])).sum() / len(p)
        div = w[y[i] == 1].var(dim=0).sum() if len(p) > 1 else 0.0
        li = (1 + div) * rank
        losses.append(2 * ((1 - lam) * li + lam * a[i].var(dim=0).abs().sum()))
    return torch.stack(losses).mean()


def test_vectorised_matches_the_equations_per_image() -> None:
    torch.manual_seed(0)
    a = torch.randn(6, 4, 8)
    w = torch.nn.functional.normalize(torch.randn(10, 8), dim=1)
    y = (torch.rand(6, 10) < 0.3).float()
    y[:, 0] = 1  # every image has a positive and (almost surely) a negative
    y[:, 1] = 0
    assert sdl_loss(a, y, w).item() == pytest.approx(reference_loss(a, y, w, LAM).item(), rel=1e-5)


def test_head_shapes_and_kd_order() -> None:
    head = SDLHead(in_features=5, k=3, d=4)
    x = torch.randn(2, 5)
    a = head(x)
    assert a.shape == (2, 3, 4)
    flat = x @ head.proj.weight.T  # [2, 12]
    assert torch.allclose(a[1, 2, 3], flat[1, 2 * 4 + 3])  # (row k, dim j) at k·d + j
    w = torch.nn.functional.normalize(torch.randn(7, 4), dim=1)
    assert torch.allclose(score_labels(a, w), (a @ w.T).amax(dim=1))
