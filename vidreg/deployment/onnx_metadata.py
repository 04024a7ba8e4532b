"""What an exported .onnx carries besides the graph: task, class names, test pipeline, config."""
import json
from typing import Any, Dict

__all__ = ['METADATA_KEYS', 'write_metadata', 'read_metadata']

# key in the model's metadata_props -> what it holds (values are JSON)
METADATA_KEYS = dict(
    vidreg_task="'classification', 'regression' or 'multilabel'",
    vidreg_classes='class names, one per output (null for regression)',
    vidreg_pipeline='the test pipeline: every step with all its arguments (list of dicts), '
                    'built again by vidreg.pipeline.Compose',
    vidreg_custom_imports="the config's custom_imports: the plugins whose steps it uses",
    vidreg_config='the resolved config text the checkpoint was trained with',
    vidreg_input='layout of the inputs: uint8 (B, V, T, C, H, W) each, normalised in the graph',
    vidreg_inputs='the graph inputs in order: the modalities the pipeline packs',
    vidreg_threshold='multi-label: the decision threshold chosen on validation (else null)',
)


def write_metadata(path: str, values: Dict[str, str]) -> None:
    """Set string ``metadata_props`` on the ONNX file at ``path`` (rewritten in place)."""
    import onnx
    model = onnx.load(path)
    del model.metadata_props[:]
    for key, value in values.items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(model, path)


def read_metadata(session: Any) -> Dict[str, Any]:
    """The decoded ``vidreg_*`` metadata of an onnxruntime ``InferenceSession``.

    Raises:
        ValueError: The model was not written by ``tools/export.py``.
    """
    raw = session.get_modelmeta().custom_metadata_map
    missing = [key for key in ('vidreg_task', 'vidreg_pipeline') if key not in raw]
    if missing:
        raise ValueError(f'The ONNX model lacks the metadata {missing} that tools/export.py '
                         f'writes; export it with tools/export.py CHECKPOINT --format onnx.')
    return {key[len('vidreg_'):]: json.loads(value) for key, value in raw.items()
            if key.startswith('vidreg_')}
