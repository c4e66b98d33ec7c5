"""`Frozen`: what `@dataclass(frozen=True)` gives, without importing `dataclasses`.

A pre-commit run, the memory hooks, `search`, `brief` and dispatch import records on every
call, and `dataclasses` pulls in `inspect`, `ast` and `dis` (and builds each class at import
time); a NamedTuple compiles each field's annotation under `from __future__ import
annotations`. A subclass lists its fields in `__slots__`, in order, and sets them in its typed
`__init__` through `_set`; equality, hashing, `repr`, copying and `replace` come from here.
Fields named in `_unseen` are left out of equality, hashing and `repr` (a dataclass field's
`compare=False, repr=False`).

It lives in `lints`, which imports nothing from `rulesync`; `rulesync.record` re-exports it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not from typing: start-up counts
if TYPE_CHECKING:
    from typing import Any, TypeVar

    _F = TypeVar("_F", bound="Frozen")


class Frozen:
    """Immutable, compared and hashed by its fields (`__slots__`, in order)."""

    __slots__: tuple[str, ...] = ()
    #: fields left out of equality, hashing and repr (a class attribute, not a field)
    _unseen: frozenset[str] = frozenset()

    def _set(self, **values: object) -> None:
        for name in self.__slots__:
            object.__setattr__(self, name, values[name])

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def _seen(self) -> tuple[str, ...]:
        return tuple(name for name in self.__slots__ if name not in self._unseen)

    def _compared(self) -> tuple[object, ...]:
        if not self._unseen:
            return self._values()
        return tuple(getattr(self, name) for name in self._seen())

    def replace(self: _F, **changes: Any) -> _F:
        """A copy with some fields changed (`dataclasses.replace`)."""
        unknown = set(changes) - set(self.__slots__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {sorted(unknown)[0]!r}")
        values = dict(zip(self.__slots__, self._values(), strict=True))
        values.update(changes)
        return type(self)(**values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Frozen)
        return self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._seen())
        return f"{type(self).__name__}({fields})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), dict(zip(self.__slots__, self._values(), strict=True))))


def _rebuild(cls: type[Frozen], values: dict[str, Any]) -> Frozen:
    return cls(**values)
