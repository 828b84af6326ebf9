"""TResNet-M + SDL head, state_dict-compatible with the official ZS_SDL NUS-WIDE checkpoint.

`model.py` holds the network, `make_checkpoint.py` writes random checkpoints in the official
format, `export_template.py` writes the weight-less ONNX template the app's converter fills and
`reference.py` runs the PyTorch model on a raw float tensor (used by the parity tests).
"""

from .model import SdlTResNetM, TResNetConfig, official_state_dict_shapes

__all__ = ["SdlTResNetM", "TResNetConfig", "official_state_dict_shapes"]
