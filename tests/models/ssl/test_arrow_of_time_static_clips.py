"""No arrow-of-time shortcut on any registered backbone: a static clip reversed is itself."""
import pytest

from vidreg.plugins import discover_plugins, load_plugin
from vidreg.testing.static_clips import backbone_cases, static_clip_check
from vidreg.testing.tiny import tiny_specs
from vidreg.utils import register_all_modules

register_all_modules()
PLUGINS = [load_plugin(p.module).__name__ for p in discover_plugins() if p.kind == 'repo']
# backbones whose layers mix frames before their stage: the old stage reversal failed here
MIXING = [('ResNet3D', dict(temporal_kernels=(3, 3, 3, 3), temporal_strides=(1, 1, 1, 2),
                       conv1_kernel=(1, 7, 7), pool1_kernel=(1, 3, 3), pool1_stride=(1, 2, 2)), 4),
          ('VideoResNet', dict(arch='r3d'), 8)]
CASES = list(backbone_cases(tiny_specs(PLUGINS), MIXING))


def test_every_registered_backbone_is_checked():
    names = {case.name.split()[0] for case in CASES}
    assert {name for name, spec in tiny_specs(PLUGINS).items() if spec.role == 'backbone'} <= names


@pytest.mark.parametrize('case', CASES, ids=[case.name for case in CASES])
def test_static_clip_reversed_gives_the_forward_features(case):
    result = static_clip_check(case)
    assert result['diff_after'] < 1e-5, result


@pytest.mark.parametrize('case', CASES[-len(MIXING):], ids=[name for name, _, _ in MIXING])
def test_flipping_the_stage_was_a_shortcut_on_frame_mixing_backbones(case):
    # what the branch did before issue 24: a static clip's flipped features differ
    assert static_clip_check(case)['diff_before'] > 0.1
