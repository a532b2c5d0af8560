"""Reading and writing the YAML data files HR moves between installations (catalog, questionnaire)."""

from pathlib import Path
from typing import IO

import yaml


def read_yaml_mapping(path: str | Path, *, error: type[Exception], expected: str) -> dict:
    """Parse a YAML file whose top level must be a mapping; problems raise `error` with a clear message."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise error(f"{path}: expected a mapping with {expected}")
    return data


class BlockDumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


BlockDumper.add_representer(str, _represent_str)


def write_yaml(data: dict, stream: IO[str], *, header: str, dumper: type[yaml.SafeDumper] = BlockDumper) -> None:
    """Write `data` after a comment header: block style, unicode as is, keys in the order given."""
    stream.write(header)
    yaml.dump(data, stream, Dumper=dumper, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
