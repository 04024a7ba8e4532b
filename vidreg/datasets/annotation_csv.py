"""Read an annotation or split CSV as a table of strings, with one clear error if it cannot be."""
import pandas as pd

from .base_video_dataset import DatasetError


def read_csv_table(path: str, *, header: str, skipinitialspace: bool = True) -> pd.DataFrame:
    """Every cell of a CSV with a header line, as stripped-name columns of strings.

    Args:
        path: The CSV file.
        header: The header expected, for messages (e.g. ``'path,label'``).
        skipinitialspace: Ignore spaces after each comma.

    Returns:
        The table; empty cells are ``''`` (never NaN), column names are stripped.

    Raises:
        DatasetError: The file is empty (zero bytes or blank) or is not a readable CSV.
    """
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False,
                            skipinitialspace=skipinitialspace)
    except pd.errors.EmptyDataError:
        raise DatasetError(f'{path} is empty: expected a header line "{header}" and one row '
                           f'per video.') from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        reason = ' '.join(str(error).split())
        raise DatasetError(f'{path} is not a readable CSV ({reason}): expected a header line '
                           f'"{header}" and one row per video.') from None
    table.columns = [str(c).strip() for c in table.columns]
    return table


__all__ = ['read_csv_table']
