"""vidreg.pipeline and vidreg.deployment import and run where torch cannot be imported: the
steps, the stored pipeline of an exported model, and onnxruntime inference."""
import json
import os
import subprocess
import sys

import pytest

from vidreg.apis import TestTimePipeline, export_onnx, init_model, model_metadata
from vidreg.plugins import REPO_ROOT
from vidreg.testing.block_torch import torch_blocking_env
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint
from vidreg.testing.tiny_video import write_tiny_video

pytest.importorskip('onnxruntime')

WITHOUT_TORCH = """
import json, sys
try:
    import torch  # noqa: F401
except ImportError:
    pass
else:
    raise SystemExit('torch is importable: the test would prove nothing')
import vidreg.deployment
import vidreg.pipeline
from vidreg.deployment import OnnxPredictor, StoredPipeline
model, video, steps = sys.argv[1:]
inputs, truncated = StoredPipeline(json.load(open(steps)))(video)
prediction = OnnxPredictor(model)(video)
loaded = sorted(name for name in sys.modules if name.split('.')[0] == 'torch')
print(json.dumps(dict(shapes={k: list(v.shape) for k, v in inputs.items()},
                      scores=prediction.values.tolist(), loaded=loaded)))
"""


def test_steps_stored_pipeline_and_onnxruntime_run_with_torch_blocked(tmp_path):
    model = init_model(write_tiny_checkpoint(tmp_path / 'm.pth', two_stream='flow'))
    pipeline = TestTimePipeline(model.cfg, model.dataset_meta['task'])
    video = write_tiny_video(tmp_path / 'v.avi', num_frames=30, size=40)
    steps = tmp_path / 'steps.json'
    steps.write_text(json.dumps(pipeline.step_configs()))
    onnx = str(tmp_path / 'm.onnx')
    export_onnx(model, onnx, sample=pipeline.batch_of_one(video), exporter='legacy',
                metadata=model_metadata(model, pipeline.step_configs()))
    result = subprocess.run([sys.executable, '-c', WITHOUT_TORCH, onnx, video, str(steps)],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, **torch_blocking_env(tmp_path),
                                 'OMP_NUM_THREADS': '1'})
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.splitlines()[-1])
    assert out['loaded'] == []
    assert out['shapes'] == dict(imgs=[2, 3, 3, 32, 32], flow=[2, 1, 4, 32, 32])  # 2 clips
    from vidreg.apis import inference
    expected = inference(model, video).pred_score.tolist()
    assert out['scores'] == pytest.approx(expected, abs=1e-4)
