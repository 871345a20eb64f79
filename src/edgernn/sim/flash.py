"""Flash access timing: wait states, instruction prefetch, instruction and data caches.

The model is event-based on the core's cycle counter: a flash read started at cycle ``t``
delivers its word at ``t + wait_states + 1``; a cache-line fill reads the line's words back to
back, critical word first; the prefetcher starts reading the next sequential instruction line
when a line fill ends. A word the core needs at cycle ``t`` that arrives at ``a`` stalls it
``max(0, a - 1 - t)`` cycles (the core timings already include the one-cycle zero-wait
access). Without a cache, a one-line buffer of one flash word stands in for it (the flash
interface's current read buffer). Rules and their sources: ``docs/cycle-model.md``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from edgernn.sim.memory import CacheConfig, MemoryTiming


@dataclass
class FlashStats:
    """Counters of the flash model, all in events or core cycles."""

    fetch_line_hits: int = 0
    fetch_line_misses: int = 0
    prefetch_hits: int = 0
    data_reads: int = 0
    data_line_hits: int = 0
    data_line_misses: int = 0
    fetch_stall_cycles: int = 0
    data_stall_cycles: int = 0


class _LineCache:
    """Fully associative LRU cache whose entries remember when their line fill started."""

    def __init__(self, config: CacheConfig | None, word_bytes: int, read_cycles: int) -> None:
        if config is None:  # the flash interface's single read buffer
            config = CacheConfig(lines=1, line_bytes=word_bytes)
        self.capacity = config.lines
        self.words_per_line = config.line_bytes // word_bytes
        self.read_cycles = read_cycles
        self.fill_cycles = self.words_per_line * read_cycles
        # line -> (fill start cycle, index of the first word read, fill end cycle)
        self.lines: OrderedDict[int, tuple[int, int, int]] = OrderedDict()

    def arrival(self, entry: tuple[int, int, int], k: int) -> int:
        start, first, _ = entry
        return start + ((k - first) % self.words_per_line + 1) * self.read_cycles

    def insert(self, line: int, start: int, first: int) -> tuple[int, int, int]:
        entry = (start, first, start + self.fill_cycles)
        self.lines[line] = entry
        if len(self.lines) > self.capacity:
            self.lines.popitem(last=False)
        return entry


class FlashModel:
    """Run-time state of the flash accelerator for one simulation.

    Args:
        timing: Wait states, read width, prefetch and cache geometry.
    """

    def __init__(self, timing: MemoryTiming) -> None:
        self.timing = timing
        self.word_bytes = timing.flash_word_bytes
        read_cycles = timing.flash_wait_states + 1
        self.icache = _LineCache(timing.icache, self.word_bytes, read_cycles)
        self.dcache = _LineCache(timing.dcache, self.word_bytes, read_cycles)
        self.prefetch = timing.prefetch
        self._prefetch_line = -1
        self._prefetch_start = 0
        self._dline = -1
        self._ddone = 0
        self._dshift = (self.dcache.words_per_line * self.word_bytes).bit_length() - 1
        self._last_plan: tuple[tuple[int, int], ...] | None = None
        self._last_inserts = -1
        self._last_ready = 0
        self._inserts = 0  # instruction-line insertions so far (cache contents changed)
        self._fast_fetch_words = 0
        self._data_reads = 0
        self.stats = FlashStats()
        #: Core cycle at which the current basic block started plus the stalls charged in it so
        #: far (set by the simulator).
        self.now = 0
        #: Returns the cycle offset, within the current block, of the instruction making a data
        #: read (set by the simulator; None: the block start).
        self.access_offset: Callable[[], int] | None = None

    def fetch_plan(self, address: int, offsets: list[int], sizes: list[int]) -> tuple[
        tuple[int, int], ...
    ]:
        """Flash words a block fetches, with the cycle offset at which each is first needed.

        Args:
            address: Block start address.
            offsets: Start cycle of each instruction relative to the block start.
            sizes: Byte size of each instruction; 0 for a 16-bit instruction not to be charged.
        """
        plan: list[tuple[int, int]] = []
        seen: set[int] = set()
        pc = address
        for offset, size in zip(offsets, sizes, strict=True):
            if size == 0:  # not fetched (a marker); its bytes still advance the address
                pc += 2
                continue
            for word in range(pc // self.word_bytes, (pc + size - 1) // self.word_bytes + 1):
                if word not in seen:
                    seen.add(word)
                    plan.append((word, offset))
            pc += size
        return tuple(plan)

    def fetch(self, plan: tuple[tuple[int, int], ...], now: int) -> int:
        """Stall cycles of fetching a block's flash words, the block starting at ``now``."""
        if (
            plan is self._last_plan
            and self._inserts == self._last_inserts
            and now >= self._last_ready
        ):
            # The same block again with no line inserted since: all its lines are present,
            # filled, and already in most-recently-used order, so the LRU state is unchanged.
            self._fast_fetch_words += len(plan)
            return 0
        stall = self._fetch(plan, now)
        self._last_plan = plan
        self._last_inserts = self._inserts
        lines = self.icache.lines
        wpl = self.icache.words_per_line
        present = all(w // wpl in lines for w, _ in plan)
        self._last_ready = max((lines[w // wpl][2] for w, _ in plan), default=0) if present \
            else 1 << 62
        return stall

    def _fetch(self, plan: tuple[tuple[int, int], ...], now: int) -> int:
        cache = self.icache
        lines = cache.lines
        wpl = cache.words_per_line
        stall = 0
        for word, offset in plan:
            t = now + offset + stall
            line, k = divmod(word, wpl)
            entry = lines.get(line)
            if entry is not None:
                lines.move_to_end(line)
                self.stats.fetch_line_hits += 1
                if t + 1 < entry[2]:
                    late = cache.arrival(entry, k) - 1 - t
                    if late > 0:
                        stall += late
                continue
            self._inserts += 1
            if self.prefetch and line == self._prefetch_line:
                entry = cache.insert(line, self._prefetch_start, 0)
                self.stats.prefetch_hits += 1
            else:
                entry = cache.insert(line, t, k)
                self.stats.fetch_line_misses += 1
            if self.prefetch:
                self._prefetch_line = line + 1
                self._prefetch_start = entry[2]
            late = cache.arrival(entry, k) - 1 - t
            if late > 0:
                stall += late
        self.stats.fetch_stall_cycles += stall
        return stall

    def read(self, address: int) -> int:
        """Stall cycles of one data read from flash by the current block."""
        self._data_reads += 1
        if address >> self._dshift == self._dline and self.now + 1 >= self._ddone:
            return 0  # the most recently used line, fill complete: a hit, LRU unchanged
        return self._read(address)

    def _read(self, address: int) -> int:
        stats = self.stats
        cache = self.dcache
        line, k = divmod(address // self.word_bytes, cache.words_per_line)
        t = self.now + (self.access_offset() if self.access_offset is not None else 0)
        entry = cache.lines.get(line)
        if entry is None:
            entry = cache.insert(line, t, k)
            stats.data_line_misses += 1
        else:
            cache.lines.move_to_end(line)
            stats.data_line_hits += 1
        self._dline, self._ddone = line, entry[2]
        late = cache.arrival(entry, k) - 1 - t
        if late > 0:
            self.now += late
            stats.data_stall_cycles += late
            return late
        return 0

    def final_stats(self) -> FlashStats:
        """Counters with the fast-path events folded in."""
        stats = FlashStats(**vars(self.stats))
        stats.fetch_line_hits += self._fast_fetch_words
        stats.data_reads = self._data_reads
        stats.data_line_hits = self._data_reads - stats.data_line_misses
        return stats
