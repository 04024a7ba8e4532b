"""ONNX export of tiny recognizers: checked against PyTorch, dynamic in T, metadata, atomic."""
import json
import os

import numpy as np
import pytest
import torch

from vidreg.apis import (
    ExportableRecognizer,
    ExportError,
    TestTimePipeline,
    export_onnx,
    inference,
    init_model,
)
from vidreg.testing.tiny_checkpoint import write_tiny_checkpoint

ort = pytest.importorskip('onnxruntime')
onnx = pytest.importorskip('onnx')
pytestmark = pytest.mark.slow  # each export traces the model (2-10 s)

TEMPORAL = dict(
    tcn=None,
    lstm=dict(type='TemporalRNN', hidden_channels=8),
    bilstm=dict(type='TemporalRNN', hidden_channels=8, bidirectional=True),
)


def _sample(model, video):
    pipeline = TestTimePipeline(model.cfg, model.dataset_meta['task'])
    return pipeline.batch_of_one(video)  # {'imgs': (1, 1, 4, 3, 32, 32)}


@pytest.mark.parametrize('name', list(TEMPORAL))
def test_export_matches_pytorch_at_two_clip_lengths(tmp_path, tiny_video, name):
    model = init_model(write_tiny_checkpoint(tmp_path / 'm.pth', temporal=TEMPORAL[name]))
    sample = _sample(model, tiny_video)
    out = str(tmp_path / 'm.onnx')
    report = export_onnx(model, out, sample=sample, metadata=dict(vidreg_task='x'),
                         dynamic_batch=True, exporter='legacy')  # dynamo: ~20 s per model
    assert sorted(report.max_abs_diff) == [4, 8] and report.dynamic_time
    assert max(report.max_abs_diff.values()) < 1e-4
    assert set(os.listdir(tmp_path)) == {'m.pth', 'm.onnx'}  # no temporary left behind
    session = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    assert session.get_modelmeta().custom_metadata_map['vidreg_task'] == '"x"'
    batch = torch.cat([sample['imgs'], sample['imgs'].flip(2)])  # another batch size and clip
    with torch.no_grad():
        expected = ExportableRecognizer(model)(batch).numpy()
    np.testing.assert_allclose(session.run(None, {'imgs': batch.numpy()})[0], expected,
                               rtol=1e-3, atol=1e-4)


# (tiny two-stream demo, its temporal input key, the shape that key is packed in, exporter)
TWO_STREAM = [('sg3i', 'sg3i', (1, 2, 1, 3, 32, 32), 'dynamo'),
              ('flow', 'flow', (1, 2, 1, 4, 32, 32), 'legacy'),  # 2 fields stacked: 2L channels
              ('flow3d', 'flow', (1, 2, 2, 2, 32, 32), 'legacy')]  # 3D streams: T=2 x (x, y)


@pytest.mark.parametrize('two_stream,input_key,shape,exporter', TWO_STREAM,
                         ids=[t[0] for t in TWO_STREAM])
def test_two_stream_export_takes_one_uint8_input_per_modality(tmp_path, tiny_video, two_stream,
                                                              input_key, shape, exporter):
    """Dict inputs: one named graph input per key, each normalised with its own statistics."""
    model = init_model(write_tiny_checkpoint(tmp_path / 'm.pth', two_stream=two_stream))
    pipeline = TestTimePipeline(model.cfg, model.dataset_meta['task'])
    sample = pipeline.batch_of_one(tiny_video)  # imgs (1, 2, 3, 3, 32, 32) + sg3i / flow
    assert tuple(sample[input_key].shape) == shape
    report = export_onnx(model, str(tmp_path / 'm.onnx'), sample=sample, metadata={},
                         dynamic_batch=True, exporter=exporter)
    names = ('imgs', input_key)
    assert report.input_names == names and report.exporter == exporter
    assert sorted(report.max_abs_diff) == [3, 6] and report.dynamic_time
    assert max(report.max_abs_diff.values()) < 1e-4
    session = ort.InferenceSession(report.path, providers=['CPUExecutionProvider'])
    assert [(i.name, i.type) for i in session.get_inputs()] == [
        (name, 'tensor(uint8)') for name in names]
    assert [o.name for o in session.get_outputs()] == ['scores']
    assert session.get_modelmeta().custom_metadata_map['vidreg_inputs'] == json.dumps(
        list(names))
    got = session.run(None, {name: sample[name].numpy() for name in names})[0]  # (1, K)
    np.testing.assert_allclose(got[0], inference(model, tiny_video).pred_score.numpy(),
                               rtol=1e-3, atol=1e-4)  # = mode='predict', per-key statistics
    batch = {name: torch.cat([sample[name], sample[name].flip(2)]) for name in names}
    with torch.no_grad():
        expected = ExportableRecognizer(model, names)(*batch.values()).numpy()
    np.testing.assert_allclose(session.run(None, {n: v.numpy() for n, v in batch.items()})[0],
                               expected, rtol=1e-3, atol=1e-4)


def test_bidirectional_lstm_time_length_is_not_frozen(tmp_path, tiny_video):
    """pytorch#191855: whichever exporter 'auto' keeps, the graph must take an unseen T."""
    model = init_model(write_tiny_checkpoint(tmp_path / 'm.pth', temporal=TEMPORAL['bilstm']))
    report = export_onnx(model, str(tmp_path / 'm.onnx'), sample=_sample(model, tiny_video),
                         metadata={})
    session = ort.InferenceSession(report.path, providers=['CPUExecutionProvider'])
    clip = _sample(model, tiny_video)['imgs'].repeat_interleave(3, dim=2)  # T = 12, unexported
    with torch.no_grad():
        expected = ExportableRecognizer(model)(clip).numpy()
    np.testing.assert_allclose(session.run(None, {'imgs': clip.numpy()})[0], expected,
                               rtol=1e-3, atol=1e-4)


def test_a_failed_check_leaves_no_file(tmp_path, tiny_video):
    model = init_model(write_tiny_checkpoint(tmp_path / 'm.pth'))
    out = tmp_path / 'm.onnx'
    with pytest.raises(ExportError, match='legacy: onnxruntime failed'):
        export_onnx(model, str(out), sample=_sample(model, tiny_video), metadata={},
                    exporter='legacy', opset=1)  # written, but onnxruntime rejects the graph
    assert sorted(os.listdir(tmp_path)) == ['m.pth']


class _FlattenTime(torch.nn.Module):
    """A temporal module that fixes T, as C3D's fc6 does: (B, D, T, H, W) -> (B, 8)."""

    def __init__(self, in_channels, frames):
        super().__init__()
        self.fc = torch.nn.Linear(in_channels * frames, 8)
        self.out_channels = 8

    def forward(self, x):
        return self.fc(x.mean(dim=(3, 4)).flatten(1))  # (B, D * T) -> (B, 8)


def test_a_network_that_fixes_time_is_exported_with_fixed_time(tmp_path, tiny_video):
    from vidreg.models.backbones import TinyConv2D
    from vidreg.models.heads import ClsHead
    from vidreg.models.recognizers import Recognizer
    reference = init_model(write_tiny_checkpoint(tmp_path / 'm.pth'))  # for its pipeline
    backbone = TinyConv2D(channels=(4, 8))
    model = Recognizer(backbone=backbone, temporal=_FlattenTime(backbone.out_channels, 4),
                       head=ClsHead(in_channels=8, num_classes=3)).eval()
    report = export_onnx(model, str(tmp_path / 'm.onnx'), sample=_sample(reference, tiny_video),
                         metadata={}, exporter='legacy')
    assert not report.dynamic_time and list(report.max_abs_diff) == [4]


def test_dynamo_exporter_without_onnxscript_says_how_to_install_it(tmp_path, tiny_video,
                                                                  monkeypatch):
    """A deploy install without onnxscript names the package instead of a silent fallback."""
    import importlib.util
    model = init_model(write_tiny_checkpoint(tmp_path / 'm.pth'))
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, 'find_spec',
                        lambda name, *a: None if name == 'onnxscript' else find_spec(name, *a))
    with pytest.raises(ExportError, match=r"dynamo: export failed: .*onnxscript.*\[deploy\]"):
        export_onnx(model, str(tmp_path / 'm.onnx'), sample=_sample(model, tiny_video),
                    metadata={}, exporter='dynamo')


def test_views_in_chunks_leave_the_exported_graph_unchanged(tmp_path, tiny_video):
    """max_views_per_batch is for eager testing: the graph keeps one pass over B * V clips."""
    model = init_model(write_tiny_checkpoint(tmp_path / 'm.pth', two_stream='sg3i'))
    sample = TestTimePipeline(model.cfg, model.dataset_meta['task']).batch_of_one(tiny_video)
    graphs = {}
    for chunk in (None, 1):  # V = 2 views: chunks of 1 would unroll two passes
        model.max_views_per_batch = chunk
        report = export_onnx(model, str(tmp_path / f'{chunk}.onnx'), sample=sample, metadata={},
                             dynamic_batch=True, exporter='legacy')
        graphs[chunk] = [node.op_type for node in onnx.load(report.path).graph.node]
    assert graphs[1] == graphs[None]
    session = ort.InferenceSession(report.path, providers=['CPUExecutionProvider'])
    batch = {name: torch.cat([clips, clips.flip(2), clips]) for name, clips in sample.items()}
    with torch.no_grad():  # B = 3: 6 clips, run eagerly in chunks of 1
        expected = ExportableRecognizer(model, tuple(batch))(*batch.values()).numpy()
    np.testing.assert_allclose(session.run(None, {n: v.numpy() for n, v in batch.items()})[0],
                               expected, rtol=1e-3, atol=1e-4)
