import pytest
import torch
from torch import nn

from vidreg.registry import OPTIM_WRAPPERS
from vidreg.utils import register_all_modules


def step(dtype):
    register_all_modules()
    torch.manual_seed(0)
    model = nn.Linear(4, 2)
    wrapper = OPTIM_WRAPPERS.build(dict(type='AutocastOptimWrapper', dtype=dtype,
                                        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
                                        clip_grad=dict(max_norm=1.0)))
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        out = model(torch.randn(3, 4))
    wrapper.update_params(out.float().pow(2).mean())
    state = wrapper.state_dict()
    return out.dtype, model.weight.dtype, model.weight.detach() - before, state


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU path')
def test_bf16_autocast_trains_on_the_cpu_with_float32_weights():
    out_dtype, weight_dtype, change, _ = step('bfloat16')
    assert out_dtype == torch.bfloat16 and weight_dtype == torch.float32
    assert change.abs().sum() > 0 and torch.isfinite(change).all()
    out_dtype, _, reference, _ = step('float32')
    assert out_dtype == torch.float32
    assert torch.allclose(change, reference, atol=1e-2)  # bf16 keeps ~3 significant digits


@pytest.mark.skipif(torch.cuda.is_available(), reason='checks the CPU path')
def test_fp16_on_the_cpu_and_unknown_precisions_are_clear_errors():
    with pytest.raises(ValueError, match="needs a GPU; on the CPU use 'bfloat16'"):
        step('float16')
    with pytest.raises(ValueError, match="dtype must be"):
        step('int8')
