"""Numbers a tool cannot use are argparse errors: 0, negatives, nan, inf, words."""
import argparse
import os.path as osp

import pytest

from vidreg.utils.argument_types import (
    non_negative_int,
    positive_float,
    positive_int,
    predictions_csv,
)


@pytest.mark.parametrize('text', ['0', '-2', 'nan', 'inf', '-inf', 'ten', ''])
def test_positive_float_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError, match='expected a finite number > 0'):
        positive_float(text)


@pytest.mark.parametrize('text', ['0', '-1', '2.5', 'five'])
def test_positive_int_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError, match='expected a whole number > 0'):
        positive_int(text)


@pytest.mark.parametrize('text', ['-1', '2.5', 'five'])
def test_non_negative_int_refuses(text):
    with pytest.raises(argparse.ArgumentTypeError, match='expected a whole number >= 0'):
        non_negative_int(text)


def test_good_values_pass():
    assert positive_float('0.25') == 0.25 and positive_int('5') == 5
    assert non_negative_int('0') == 0


def test_a_dump_into_a_folder_writes_predictions_csv_there(tmp_path):
    assert predictions_csv(str(tmp_path)) == str(tmp_path / 'predictions.csv')
    assert predictions_csv('new/') == osp.join('new', 'predictions.csv')
    assert predictions_csv('preds.csv') == 'preds.csv'
    with pytest.raises(argparse.ArgumentTypeError, match="'preds' is no .csv file"):
        predictions_csv('preds')
