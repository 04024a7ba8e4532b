"""Plugin discovery and loading (vidreg.plugins), its errors, and `vidreg list`."""
import argparse
import os
import os.path as osp
import subprocess
import sys
import textwrap
import uuid

import pytest

from vidreg import cli
from vidreg.config import load_config
from vidreg.plugins import (
    DuplicateComponentError,
    PluginError,
    discover_plugins,
    import_custom_imports,
    load_plugin,
)
from vidreg.registry import ALL_REGISTRIES, MODELS
from vidreg.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(autouse=True)
def restore_registries():
    """Undo what the plugins of a test register, so names stay free for other tests."""
    register_all_modules()
    saved = {key: dict(reg._module_dict) for key, reg in ALL_REGISTRIES.items()}
    yield
    for key, reg in ALL_REGISTRIES.items():
        reg._module_dict.clear()
        reg._module_dict.update(saved[key])


@pytest.fixture
def make_plugin(tmp_path, monkeypatch):
    """Write an importable package ``<prefix>_<unique>`` on sys.path; return its name."""
    root = tmp_path / 'site'
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))

    def make(files: dict, prefix: str = 'tmp_plugin') -> str:
        name = f'{prefix}_{uuid.uuid4().hex[:8]}'
        (root / name).mkdir()
        for file, source in {'__init__.py': '', **files}.items():
            (root / name / file).write_text(textwrap.dedent(source))
        return name

    make.root = root
    return make


CLS_HEAD_CLASH = '''
    from vidreg.models.heads import ClsHead as _Base
    from vidreg.registry import MODELS


    @MODELS.register_module()
    class ClsHead(_Base):
        pass
'''


def test_misspelled_name_lists_available_plugins_and_close_matches():
    with pytest.raises(PluginError) as info:
        load_plugin('exampel')
    message = str(info.value)
    assert "Plugin 'exampel' not found" in message
    assert "Did you mean 'example'" in message and 'Available plugins: example' in message


def test_plugin_that_fails_to_import_names_plugin_and_cause(make_plugin):
    name = make_plugin({'__init__.py': 'from . import broken\n',
                        'broken.py': 'import vidreg_missing_dependency_xyz\n'})
    with pytest.raises(PluginError) as info:
        load_plugin(name)
    message = str(info.value)
    assert f"Plugin {name!r}" in message and 'failed to import' in message
    assert "ModuleNotFoundError: No module named 'vidreg_missing_dependency_xyz'" in message
    assert osp.join(name, 'broken.py') in message  # where it failed
    assert isinstance(info.value.__cause__, ModuleNotFoundError)  # the traceback is kept
    with pytest.raises(PluginError, match='failed to import'):  # not "not found"
        load_plugin(f'{name}.broken')
    with pytest.raises(PluginError, match='not found'):
        load_plugin(f'{make_plugin({})}.no_such_module')


def test_plugin_raising_any_error_is_reported(make_plugin):
    name = make_plugin({'__init__.py': "raise RuntimeError('boom in plugin')\n"})
    with pytest.raises(PluginError, match="RuntimeError: boom in plugin"):
        load_plugin(name)


def test_duplicate_registration_with_plugin_flag_names_both_definitions(make_plugin, tmp_path):
    from vidreg.engine.entrypoint import prepare_config
    name = make_plugin({'__init__.py': 'from . import my_head\n', 'my_head.py': CLS_HEAD_CLASH})
    args = argparse.Namespace(config=osp.join(REPO, 'configs/demo/restcn_synthetic.py'),
                              cfg_options={}, plugin=[name], work_dir=str(tmp_path / 'w'),
                              launcher='none')
    with pytest.raises(DuplicateComponentError) as info:
        prepare_config(args)
    message = str(info.value)
    assert f'{name}.my_head' in message  # the plugin's definition
    assert 'vidreg.models.heads.cls_head' in message  # the existing one
    assert "'ClsHead'" in message and "'model' registry" in message and 'subclass' in message
    assert MODELS.get('ClsHead').__module__ == 'vidreg.models.heads.cls_head'


@pytest.mark.parametrize('options', [None, {'num_frames': 2}])
def test_duplicate_registration_with_custom_imports(make_plugin, tmp_path, options):
    name = make_plugin({'__init__.py': 'from . import my_head\n', 'my_head.py': CLS_HEAD_CLASH})
    config = tmp_path / 'clash.py'
    config.write_text(f"num_frames = 4\ncustom_imports = dict(imports=['{name}'], "
                      f"allow_failed_imports=False)\n")
    with pytest.raises(DuplicateComponentError, match=f'{name}.my_head.*cls_head'):
        load_config(str(config), options)


def test_duplicate_registered_by_a_call_names_the_plugin_line(make_plugin):
    name = make_plugin({'__init__.py': 'from . import calls\n', 'calls.py': '''
        from torch import nn
        from vidreg.registry import MODELS


        class Mine(nn.Module):
            pass


        MODELS.register_module(name='RegHead', module=Mine)
    '''})
    with pytest.raises(DuplicateComponentError) as info:
        load_plugin(name)
    message = str(info.value)
    assert f'module {name}.calls registers' in message
    assert osp.join(name, 'calls.py') + ':10' in message  # the registering line
    assert 'vidreg.models.heads.reg_head.RegHead' in message and 'subclass' in message


def test_other_key_errors_of_a_plugin_are_import_failures(make_plugin):
    name = make_plugin({'__init__.py': "{}['is already registered in model at x']\n"})
    with pytest.raises(PluginError, match='failed to import: KeyError') as info:
        load_plugin(name)
    assert not isinstance(info.value, DuplicateComponentError)


@pytest.mark.parametrize('source, existing', [
    ('@MODELS.register_module(force=True)\nclass ClsHead:\n    pass\n', 'cls_head'),
    ('@OPTIMIZERS.register_module()\nclass SGD:\n    pass\n', 'torch.optim'),
])
def test_replacing_or_hiding_a_name_is_a_duplicate(make_plugin, source, existing):
    name = make_plugin({'__init__.py': 'from vidreg.registry import MODELS, OPTIMIZERS\n' + source})
    with pytest.raises(DuplicateComponentError, match=f'{name}.*{existing}'):
        load_plugin(name)


def test_custom_imports_allow_failed_imports_warns(make_plugin):
    with pytest.warns(UserWarning, match='Skipped'):
        assert import_custom_imports(dict(imports=['no_such_plugin_xyz'],
                                          allow_failed_imports=True)) == []
    with pytest.raises(PluginError, match='no_such_plugin_xyz'):
        import_custom_imports(dict(imports=['no_such_plugin_xyz']))


def test_entry_point_of_installed_distribution_is_discovered_and_loaded(make_plugin):
    backbone = f'EntryPointBackbone{uuid.uuid4().hex[:8]}'
    module = make_plugin({'__init__.py': f'''
        from torch import nn
        from vidreg.registry import MODELS


        @MODELS.register_module()
        class {backbone}(nn.Identity):
            pass
    '''})
    dist_info = make_plugin.root / 'fake_vidreg_ext-0.1.dist-info'
    dist_info.mkdir()
    (dist_info / 'METADATA').write_text('Metadata-Version: 2.1\nName: fake-vidreg-ext\n'
                                        'Version: 0.1\n')
    (dist_info / 'entry_points.txt').write_text(f'[vidreg.plugins]\nfake_ext = {module}\n')
    package = make_plugin({}, prefix='vidreg_fake')  # found by its vidreg_* name
    found = {p.name: p for p in discover_plugins()}
    assert found['example'].kind == 'repo'
    assert found['fake_ext'][1:] == ('entry_point', module, 'fake-vidreg-ext 0.1')
    assert found[package].kind == 'package'
    assert MODELS.get(backbone) is None
    load_plugin('fake_ext')
    assert MODELS.get(backbone).__module__ == module


def test_list_components_shows_plugin_component_and_module(make_plugin, capsys):
    backbone = f'ListedBackbone{uuid.uuid4().hex[:8]}'
    name = make_plugin({'__init__.py': 'from . import listed\n', 'listed.py': f'''
        from torch import nn
        from vidreg.registry import MODELS


        @MODELS.register_module()
        class {backbone}(nn.Identity):
            pass
    '''})
    assert cli.main(['list', '--plugin', name, '--registry', 'model']) == 0
    lines = capsys.readouterr().out.splitlines()
    row = next(line for line in lines if backbone in line)
    assert f'{name}.listed' in row and 'model' in row
    assert any('ClsHead' in line and 'vidreg.models.heads.cls_head' in line for line in lines)
    assert not any('hook' in line.split('│')[1] for line in lines if line.count('│') > 2)
    assert cli.main(['list', '--plugin', 'exampel']) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err  # one line, however long its paths are
    assert "Did you mean 'example'" in ' '.join(err.split())


@pytest.mark.slow
def test_tools_report_a_failing_plugin_with_its_traceback(make_plugin):
    name = make_plugin({'__init__.py': "raise RuntimeError('boom in plugin')\n"})
    result = subprocess.run(
        [sys.executable, osp.join(REPO, 'tools', 'train.py'),
         osp.join(REPO, 'configs/demo/restcn_synthetic.py'), '--plugin', name],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, 'PYTHONPATH': str(make_plugin.root)})
    assert result.returncode == 2, result.stderr
    assert 'Traceback' in result.stderr and f'{name}/__init__.py' in result.stderr
    assert f"error: Plugin '{name}'" in result.stderr and 'boom in plugin' in result.stderr


@pytest.mark.slow
def test_vidreg_never_imports_plugins():
    code = ('import sys, vidreg, vidreg.cli, vidreg.config, vidreg.plugins, '
            'vidreg.engine.entrypoint\n'
            "assert not [m for m in sys.modules if m.split('.')[0] == 'plugins'], sys.modules")
    subprocess.run([sys.executable, '-c', code], check=True, cwd=REPO, timeout=120)
