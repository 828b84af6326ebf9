"""SDL (Semantic Diversity Learning, Ben-Cohen et al., ICCV 2021): head, loss, metrics, data,
training and model-pack export.

The names below load on first use (PEP 562), so the command line can refuse bad flags without
importing torch first."""

from importlib import import_module
from typing import Any

_WHERE = {
    "SDLHead": ".head",
    "SDLModel": ".head",
    "score_labels": ".head",
    "SDLLossConfig": ".loss",
    "sdl_loss": ".loss",
    "ZslGzslReport": ".metrics",
    "evaluate_zsl_gzsl": ".metrics",
    "f1_at_k": ".metrics",
    "mean_average_precision": ".metrics",
}
__all__ = list(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
