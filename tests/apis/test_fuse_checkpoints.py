"""fuse_checkpoint_files (tools/fuse_checkpoints.py): stream checkpoints -> one two-stream
checkpoint, strictly checked.

The stream checkpoints here are cut from a tiny two-stream model (seeded random weights), as a
run of one stream (``streams.<name>.*`` plus its one-stream fusion head) or as a plain
Recognizer (``backbone.*``, ``head.*``) writes them; tests/tools/test_fuse_checkpoints_e2e.py
trains real ones."""
import pytest
import torch

from vidreg.apis import fuse_checkpoint_files, init_model
from vidreg.apis.fuse_checkpoints import stream_state
from vidreg.config import ConfigError, resolved_config_text
from vidreg.fileio import OutputPathError
from vidreg.models import build_model
from vidreg.testing.tiny_checkpoint import TINY_CLASSES, tiny_config
from vidreg.utils import CheckpointError, load_checkpoint_file


def _cut(state, stream, *, as_name=None, epoch=None, classes=TINY_CLASSES, cfg=None):
    """Stream ``stream``'s weights of ``state`` saved as a one-stream run (keys
    ``streams.<as_name>.*``) or, with ``as_name=None``, as a plain Recognizer; ``cfg``: the
    config stored with them (``meta.cfg``)."""
    prefix = f'streams.{stream}.'
    weights = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
    if as_name is not None:
        weights = {f'streams.{as_name}.{k}': v for k, v in weights.items()}
        num_classes = len(TINY_CLASSES)
        weights.update({'head.fc.weight': torch.eye(num_classes),  # its one-stream fusion head
                        'head.fc.bias': torch.zeros(num_classes)})
    meta = dict(dataset_meta=dict(classes=classes, task='classification'))
    if epoch is not None:
        meta['epoch'] = epoch
    if cfg is not None:
        meta['cfg'] = cfg.pretty_text
    return dict(meta=meta, state_dict=weights)


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    """The tiny SG3I two-stream config (a file, resolved), and a model with random weights."""
    root = tmp_path_factory.mktemp('fuse')
    cfg = tiny_config(two_stream='sg3i', data_root=str(root / 'data'))
    config = root / 'tiny_twostream.py'
    config.write_text(resolved_config_text(cfg))
    torch.manual_seed(3)
    return str(config), build_model(cfg).state_dict()


def _save(path, checkpoint):
    torch.save(checkpoint, path)
    return str(path)


def _refused(config, sources, tmp_path, error, match):
    """Fusing ``sources`` raises ``error`` with ``match`` in its message and writes nothing."""
    with pytest.raises(error, match=match):
        fuse_checkpoint_files(config, sources, str(tmp_path / 'fused.pth'))
    assert not (tmp_path / 'fused.pth').exists()


@pytest.mark.parametrize('rgb_as', ['rgb', 'spatial', None])
def test_fused_checkpoint_holds_each_stream_and_the_configs_fusion_head(tiny, tmp_path, capsys,
                                                                        rgb_as):
    config, state = tiny
    rgb = _save(tmp_path / 'rgb.pth', _cut(state, 'rgb', as_name=rgb_as, epoch=7))
    sg3i = _save(tmp_path / 'sg3i.pth', _cut(state, 'sg3i', as_name='sg3i'))
    out = str(tmp_path / 'fused.pth')
    fused = fuse_checkpoint_files(config, dict(rgb=rgb, sg3i=sg3i), out)
    text = ' '.join(capsys.readouterr().out.split())
    assert 'weights 1:1.5 (from the config; nothing to train)' in text
    assert 'classes: grow, shrink, brighten, darken' in text
    found = 'Recognizer' if rgb_as is None else f'streams.{rgb_as}'
    assert fused.rows[0] == ('rgb', rgb, found, '7', '14')
    assert f'│ {found} │ 7 │ 14 │' in text, text

    fused = load_checkpoint_file(out)  # checks the stored checksum too
    assert 'state_dict_sha256' in fused
    assert fused['state_dict'].keys() == state.keys()
    for key, value in state.items():  # head.*: the config's 1:1.5 average, as built
        assert torch.equal(fused['state_dict'][key], value), key
    model = init_model(out)  # the config and the classes come from the checkpoint
    assert model.dataset_meta['classes'] == TINY_CLASSES
    assert list(model.streams) == ['rgb', 'sg3i']
    assert model.head.weights == (1.0, 1.5)


def test_every_stream_must_be_given_and_exist(tiny, tmp_path):
    config, state = tiny
    rgb = _save(tmp_path / 'rgb.pth', _cut(state, 'rgb', as_name='rgb'))
    _refused(config, dict(rgb=rgb, flow=rgb), tmp_path, ConfigError,
             r'streams rgb, sg3i; give a checkpoint for '
             r'sg3i and drop flow \(no such stream\)')


def test_a_checkpoint_of_another_architecture_or_with_extra_keys_is_refused(tiny, tmp_path):
    config, state = tiny
    rgb = _save(tmp_path / 'rgb.pth', _cut(state, 'rgb', as_name='rgb'))
    wider = tiny_config(two_stream='sg3i', data_root=str(tmp_path / 'data'))
    wider.model.streams.sg3i.backbone.channels = (4, 16)
    other = _save(tmp_path / 'wide.pth', _cut(build_model(wider).state_dict(),
                                              'sg3i'))
    _refused(config, dict(rgb=rgb, sg3i=other), tmp_path, CheckpointError,
             r"wide.pth' \(Recognizer\) does not fit the stream "
             r"'sg3i' .*other shapes: backbone.layers.3."
             r'weight: checkpoint \(16, 4, 3, 3\) vs model '
             r'\(8, 4, 3, 3\)')
    extra = _cut(state, 'sg3i')
    extra['state_dict']['temporal.proj.weight'] = torch.zeros(1)
    del extra['state_dict']['head.fc.bias']
    extra = _save(tmp_path / 'extra.pth', extra)
    _refused(config, dict(rgb=rgb, sg3i=extra), tmp_path, CheckpointError,
             r'missing in the checkpoint: head.fc.bias; not in '
             r'the model: temporal.proj.weight')


def test_a_checkpoint_of_several_streams_needs_one_of_the_streams_name(tiny, tmp_path):
    config, state = tiny
    joint = _save(tmp_path / 'joint.pth', dict(state_dict=state))
    rgb = _save(tmp_path / 'rgb.pth', _cut(state, 'rgb', as_name='rgb'))
    weights, found = stream_state(load_checkpoint_file(joint), joint, 'sg3i')
    assert found == 'streams.sg3i' and len(weights) == 14
    with pytest.raises(CheckpointError, match=r"joint.pth' holds the streams rgb, sg3i, none "
                                              r"named 'flow'"):
        stream_state(load_checkpoint_file(joint), joint, 'flow')
    cfg = tiny_config(two_stream='sg3i', data_root=str(tmp_path / 'data'))
    streams = cfg.model.streams
    cfg.model.streams = dict(rgb=streams.rgb, flow=streams.sg3i)
    weights = cfg.model.head.weights  # fusion weights name their streams
    cfg.model.head.weights = dict(rgb=weights['rgb'], flow=weights['sg3i'])
    renamed = tmp_path / 'renamed.py'
    renamed.write_text(resolved_config_text(cfg))
    _refused(str(renamed), dict(rgb=rgb, flow=joint), tmp_path, CheckpointError,
             "none named 'flow'")


def test_streams_trained_on_other_classes_are_refused_naming_both(tiny, tmp_path):
    config, state = tiny
    rgb = _save(tmp_path / 'rgb.pth', _cut(state, 'rgb', as_name='rgb'))
    other = _save(tmp_path / 'other.pth', _cut(state, 'sg3i', as_name='sg3i',
                                               classes=('a', 'b', 'c', 'd')))
    _refused(config, dict(rgb=rgb, sg3i=other), tmp_path, CheckpointError,
             r"rgb.pth' was trained on the classes grow, "
             r"shrink, brighten, darken, '.*other.pth' on a, b, "
             r'c, d')


def test_an_existing_output_is_kept_without_force_and_one_stream_models_are_refused(
        tiny, tmp_path, capsys):
    config, state = tiny
    out = tmp_path / 'fused.pth'
    out.write_bytes(b'keep me')
    rgb = _save(tmp_path / 'rgb.pth', _cut(state, 'rgb', as_name='rgb'))
    sg3i = _save(tmp_path / 'sg3i.pth', _cut(state, 'sg3i', as_name='sg3i'))
    sources = dict(rgb=rgb, sg3i=sg3i)
    with pytest.raises(OutputPathError, match='exists .*pass --force'):
        fuse_checkpoint_files(config, sources, str(out))
    assert out.read_bytes() == b'keep me'
    with pytest.raises(OutputPathError, match='is an input of this run'):
        fuse_checkpoint_files(config, sources, rgb, force=True)
    fuse_checkpoint_files(config, sources, str(out), force=True)
    assert load_checkpoint_file(str(out))['state_dict'].keys() == state.keys()

    plain = tmp_path / 'plain.py'
    plain.write_text(resolved_config_text(tiny_config(data_root=str(tmp_path / 'data'))))
    with pytest.raises(ConfigError, match='builds a Recognizer, not a LateFusionRecognizer'):
        fuse_checkpoint_files(str(plain), dict(rgb=rgb), str(tmp_path / 'x.pth'))


def test_the_stored_stream_config_must_read_the_same_input_other_differences_are_noted(
        tiny, tmp_path, capsys):
    config, state = tiny
    cfg = tiny_config(two_stream='sg3i', data_root=str(tmp_path / 'data'))
    # The SG3I stream has the RGB stream's shapes (3 channels): only its config tells them apart.
    sg3i = _save(tmp_path / 'sg3i.pth', _cut(state, 'sg3i', as_name='sg3i', cfg=cfg))
    _refused(config, dict(rgb=sg3i, sg3i=sg3i), tmp_path, CheckpointError,
             r"sg3i.pth' \(streams.sg3i\) was trained as "
             r"another stream than 'rgb' .*input_key: 'sg3i' vs "
             r"'imgs'")
    # A plain Recognizer's config: its data_preprocessor is not the stream's; an input_key left
    # to the default and another dropout are shown, not refused.
    plain = tiny_config(two_stream='sg3i', data_root=str(tmp_path / 'data'))
    stream = plain.model.streams.rgb
    stream.pop('input_key')
    stream.head.dropout = 0.5
    plain.model = dict(stream, data_preprocessor=dict(type='VideoDataPreprocessor'))
    rgb = _save(tmp_path / 'rgb.pth', _cut(state, 'rgb', cfg=plain))
    fuse_checkpoint_files(config, dict(rgb=rgb, sg3i=sg3i), str(tmp_path / 'fused.pth'))
    text = ' '.join(capsys.readouterr().out.split())
    assert ("rgb.pth' (Recognizer) was trained as another stream than 'rgb' of "
            in text), text
    assert "(checkpoint vs config): head.dropout: 0.5 vs 0.2, input_key: '<unset>' vs 'imgs'" \
        in text, text
    assert 'streams.sg3i) was trained' not in text  # the SG3I stream as itself
