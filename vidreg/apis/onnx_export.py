"""Export a recognizer to ONNX, checked against PyTorch with onnxruntime at two clip lengths."""
import importlib.util
import json
import os
import os.path as osp
import re
import tempfile
from dataclasses import dataclass, field
from typing import Dict, List, Literal, Optional, Tuple

import numpy as np
import torch
from torch import Tensor

from vidreg.deployment.onnx_metadata import write_metadata

from .exportable_recognizer import ExportableRecognizer

__all__ = ['ExportError', 'ExportReport', 'export_onnx', 'model_metadata']

Exporter = Literal['auto', 'dynamo', 'legacy']
Clips = Dict[str, Tensor]  # graph input name -> uint8 (B, V, T_k, C_k, H, W)


class ExportError(RuntimeError):
    """No exporter produced a graph that matches PyTorch within the tolerance."""


@dataclass
class ExportReport:
    """What :func:`export_onnx` did.

    Attributes:
        path: The ``.onnx`` file written.
        input_names: The graph's uint8 inputs, one per modality (the keys of
            ``PackVideoInputs``: ``('imgs',)`` for an RGB model).
        exporter: ``'dynamo'`` or ``'legacy'`` (``torch.onnx.export(dynamo=False)``).
        max_abs_diff: Largest ``|onnxruntime - PyTorch|`` per clip length checked
            (``{T: diff}``, T of the first input).
        dynamic_time: Whether the graph accepts other clip lengths than the
            export's (``False`` when the network itself fixes T, e.g. C3D's fc6).
        attempts: One line per exporter tried and why it was rejected.
    """

    path: str
    input_names: Tuple[str, ...]
    exporter: str
    max_abs_diff: Dict[int, float]
    dynamic_time: bool
    attempts: List[str] = field(default_factory=list)


def _reason(error: BaseException) -> str:
    """One line on why an export failed: the innermost cause, without terminal colours."""
    while error.__cause__ is not None:
        error = error.__cause__
    lines = [line.strip() for line in re.sub(r'\x1b\[[0-9;]*m', '', str(error)).splitlines()]
    first = next((line for line in lines if line), '')
    return f'{type(error).__name__}: {first[:300]}'


def _run_onnx(path: str, clips: Clips) -> np.ndarray:
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=['CPUExecutionProvider'])
    return session.run(None, {name: value.numpy() for name, value in clips.items()})[0]


def _export(wrapper: ExportableRecognizer, clips: Clips, path: str, *, exporter: str,
            opset: Optional[int], dynamic_batch: bool, dynamic_time: bool) -> None:
    """Write the graph: one uint8 input per name, V (and B, T_k when asked) dynamic.

    Both exporters trace an example whose dynamic axes are at least 2 long: an axis
    of size 1 is specialised by the tracer (torch.export's 0/1 specialisation; a
    single-frame SG3I input, one view, a batch of one), and the graph would then
    silently compute something else at another size.
    """
    names = list(clips)
    dynamic = {1, *((0,) if dynamic_batch else ()), *((2,) if dynamic_time else ())}
    args = tuple(_at_least_two(value, dynamic) for value in clips.values())
    if exporter == 'dynamo':
        if importlib.util.find_spec('onnxscript') is None:  # torch imports it on demand
            raise ImportError("torch's dynamo exporter needs onnxscript, which is not "
                              "installed: pip install -e '.[deploy]' (or pip install onnxscript)")
        from torch.export import Dim
        shapes = tuple({axis: Dim.DYNAMIC if axis in dynamic else Dim.STATIC
                        for axis in range(value.dim())} for value in args)
        program = torch.onnx.export(wrapper, args, dynamo=True, opset_version=opset,
                                    input_names=names, output_names=['scores'],
                                    dynamic_shapes=(shapes,), verbose=False)  # *clips
        program.save(path)
    else:  # each input's T gets its own name: modalities have their own clip lengths
        axes = {name: {1: 'views', **({0: 'batch'} if dynamic_batch else {}),
                       **({2: f'time_{name}'} if dynamic_time else {})} for name in names}
        torch.onnx.export(wrapper, args, path, dynamo=False, opset_version=opset or 17,
                          input_names=names, output_names=['scores'],
                          dynamic_axes=dict(**axes, scores={0: 'batch'} if dynamic_batch else {}))


def _at_least_two(clips: Tensor, axes: set) -> Tensor:
    """``clips`` with every axis of ``axes`` that has size 1 repeated to size 2."""
    for axis in sorted(axes):
        if clips.shape[axis] == 1:
            clips = clips.repeat_interleave(2, dim=axis)
    return clips.contiguous()


def _check(path: str, cases: List[Tuple[Clips, np.ndarray]], rtol: float, atol: float
           ) -> Tuple[Dict[int, float], Optional[str]]:
    """Max abs differences per clip length, and the reason the graph fails (or ``None``)."""
    diffs = {}
    for inputs, expected in cases:
        length = int(next(iter(inputs.values())).shape[2])  # T of the first input
        try:
            got = _run_onnx(path, inputs)
        except Exception as error:  # onnxruntime raises its own types
            return diffs, f'onnxruntime failed at T={length}: {str(error).splitlines()[0]}'
        if got.shape != expected.shape:
            return diffs, f'output {got.shape} at T={length}, PyTorch gives {expected.shape}'
        diffs[length] = max(diffs.get(length, 0.0), float(np.abs(got - expected).max()))
        if not np.allclose(got, expected, rtol=rtol, atol=atol):
            return diffs, (f'max abs diff {diffs[length]:.3g} at T={length} exceeds rtol={rtol}, '
                           f'atol={atol}')
    return diffs, None


def model_metadata(model: torch.nn.Module, steps: List[dict]) -> Dict[str, object]:
    """The ``vidreg_*`` metadata of a model from :func:`~vidreg.apis.init_model` (see
    :data:`vidreg.deployment.METADATA_KEYS`), ``steps`` its test pipeline's step configs
    (:meth:`~vidreg.apis.TestTimePipeline.step_configs`)."""
    custom_imports = model.cfg.get('custom_imports')
    return dict(vidreg_task=model.dataset_meta['task'],
                vidreg_classes=list(model.dataset_meta.get('classes') or []) or None,
                vidreg_pipeline=steps, vidreg_config=model.cfg.pretty_text,
                vidreg_custom_imports=None if custom_imports is None else dict(custom_imports),
                vidreg_input='uint8 (B, V, T, C, H, W) per input (vidreg_inputs); '
                             'normalised in the graph',
                vidreg_threshold=_threshold(model))


def _threshold(model: torch.nn.Module) -> Optional[float]:
    """A multi-label head's decision threshold (chosen on validation), else ``None``."""
    threshold = getattr(model.head, 'threshold', None)
    return None if threshold is None else float(threshold)


@torch.no_grad()
def export_onnx(model: torch.nn.Module, out_file: str, *, sample: Clips,
                metadata: Dict[str, object], opset: Optional[int] = None,
                dynamic_batch: bool = False, exporter: Exporter = 'auto',
                rtol: float = 1e-3, atol: float = 1e-4) -> ExportReport:
    """Export ``model`` and prove the graph computes what PyTorch computes.

    The exported function is :class:`ExportableRecognizer` (uint8 clips in,
    view-averaged probabilities or values out). The graph is run with
    onnxruntime on ``sample`` and on the same clip at twice its length (each
    frame twice; every input's T doubled), with ``dynamic_batch`` also on a batch
    of two, and compared with PyTorch. The graph has one named uint8 input per
    modality (``imgs`` for an RGB model), each normalised in the graph with its own
    statistics. The metadata gets ``vidreg_inputs``, the input names in order.
    ``'auto'`` tries the dynamo exporter first and falls back to the legacy
    (TorchScript) exporter when the dynamo graph fails either check: the dynamo
    exporter freezes the time length of a bidirectional LSTM (pytorch#191855). A
    network that cannot take the second length in PyTorch itself (a fixed-size
    fc layer), or that has a module declaring ``fixed_clip_length = True`` (MViT:
    the tracers bake its position embeddings' size in), is exported with T fixed.
    The file is written to a temporary sibling and moved into place only once it
    passed, so ``out_file`` is never a half-written or unverified graph.

    Args:
        model: A recognizer in eval mode, on the CPU.
        out_file: The ``.onnx`` path.
        sample: Real clips from the test pipeline, ``{name: uint8 (B, V, T_k, C_k, H, W)}``
            as ``video_collate`` batches them.
        metadata: Stored in the model's ``metadata_props`` (JSON-encoded values).
        opset: ONNX opset; ``None`` takes the exporter's default.
        dynamic_batch: Let B vary (V and T vary anyway).
        exporter: ``'auto'``, ``'dynamo'`` or ``'legacy'``.
        rtol: Relative tolerance of the check.
        atol: Absolute tolerance of the check.

    Raises:
        ExportError: Every exporter tried failed; the message lists why.
    """
    clips = dict(sample)
    wrapper = ExportableRecognizer(model, tuple(clips)).eval()
    longer = {name: value.repeat_interleave(2, dim=2)  # (B, V, 2T_k, C_k, H, W)
              for name, value in clips.items()}
    cases = [(clips, wrapper(*clips.values()).numpy())]
    dynamic_time = not any(getattr(module, 'fixed_clip_length', False)
                           for module in model.modules())
    try:
        if dynamic_time:
            cases.append((longer, wrapper(*longer.values()).numpy()))
    except (RuntimeError, ValueError):  # the network fixes T (e.g. a flatten into fc6)
        dynamic_time = False
    if dynamic_batch:  # a batch of two different clips: B varies, samples stay apart
        pair = {name: torch.cat([value, value.flip(2)]) for name, value in clips.items()}
        cases.append((pair, wrapper(*pair.values()).numpy()))
    exporters = ['dynamo', 'legacy'] if exporter == 'auto' else [exporter]
    attempts = []
    os.makedirs(osp.dirname(osp.abspath(out_file)), exist_ok=True)
    with tempfile.TemporaryDirectory(dir=osp.dirname(osp.abspath(out_file)),
                                     prefix='.onnx-export-') as tmp:
        for name in exporters:
            path = osp.join(tmp, f'{name}.onnx')
            try:
                _export(wrapper, clips, path, exporter=name, opset=opset,
                        dynamic_batch=dynamic_batch, dynamic_time=dynamic_time)
            except Exception as error:  # exporters raise many types
                attempts.append(f'{name}: export failed: {_reason(error)}')
                continue
            diffs, problem = _check(path, cases, rtol, atol)
            if problem is not None:
                attempts.append(f'{name}: {problem}')
                continue
            stored = dict(metadata, vidreg_inputs=list(clips))
            write_metadata(path, {key: json.dumps(value) for key, value in stored.items()})
            os.replace(path, out_file)
            return ExportReport(path=out_file, input_names=tuple(clips), exporter=name,
                                max_abs_diff=diffs, dynamic_time=dynamic_time, attempts=attempts)
    raise ExportError('ONNX export failed the check against PyTorch:\n  ' + '\n  '.join(attempts))
