"""benchmarks/timecycle_similarity_table.py: L_sim falls to 0 within a few positions of error,
the removed box term does not."""
import importlib.util
import os.path as osp

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def test_similarity_table_rows(capsys):
    spec = importlib.util.spec_from_file_location(
        'timecycle_similarity_table', osp.join(REPO, 'benchmarks', 'timecycle_similarity_table.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(['--side', '15', '--channels', '32', '--draws', '2', '--shift', '2'])
    rows = {line.split(' | ')[0].strip('| '): [float(v) for v in line.split(' | ')[1:-1]
                                                + [line.split(' | ')[-1].strip(' |')]]
            for line in capsys.readouterr().out.splitlines() if line.startswith(('| box', '| L_'))}
    box, sim = rows['box (before)'], rows['L_sim (TimeCycle)']
    assert sim[0] > 0.3 and max(sim[2:]) < 0.05  # 0, 1, 2, 3, 5 positions of error
    assert box[2] > 0.45  # the box term still pays half its reward 2 positions off
