"""Numbers a tool cannot use are argparse errors: 0, negatives, nan, inf, words."""
import argparse

import pytest

from vidreg.utils.argument_types import positive_float, positive_int


@pytest.mark.parametrize('text', ['0', '-2', 'nan', 'inf', '-inf', 'ten', ''])
def test_positive_float_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError, match='expected a finite number > 0'):
        positive_float(text)


@pytest.mark.parametrize('text', ['0', '-1', '2.5', 'five'])
def test_positive_int_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError, match='expected a whole number > 0'):
        positive_int(text)


def test_good_values_pass():
    assert positive_float('0.25') == 0.25 and positive_int('5') == 5
