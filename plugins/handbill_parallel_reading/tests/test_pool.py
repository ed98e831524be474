"""read_in_workers with Pelican's real Markdown reader, compared with reading in this process."""

import gc
import os

from pelican.readers import Readers, _filter_discardable_metadata
from pelican.settings import read_settings

from handbill_parallel_reading.pool import CHUNK_SIZE, read_in_workers


def test_the_workers_read_what_this_process_reads_and_leave_its_garbage_collector_as_it_was(tmp_path):
    count = 3 * CHUNK_SIZE + 1  # chunks of every size, the last one short
    for number in range(count):
        (tmp_path / f"post-{number}.md").write_text(
            f"Title: Post {number}\nDate: 2024-03-05\nTags: meeting, tag{number % 3}\nCategory: Notes\n\n"
            f"Text of post *{number}*.\n",
            encoding="utf-8",
        )
    (tmp_path / "broken.md").write_text("Title: Broken\nDate: the day after tomorrow\n\nText.\n", encoding="utf-8")
    settings = read_settings(override={"PATH": str(tmp_path)})
    readers = Readers(settings).readers
    paths = sorted(str(path) for path in tmp_path.glob("*.md"))

    results = read_in_workers(readers, settings, [(path, "md") for path in paths], 2)

    assert gc.get_freeze_count() == 0
    assert sorted(results) == [path for path in paths if not path.endswith("broken.md")]  # left to Pelican
    for path, (content, metadata) in results.items():
        expected_content, expected_metadata = readers["md"].read(path)
        assert (content, metadata) == (expected_content, _filter_discardable_metadata(expected_metadata))
        assert metadata["category"].settings is settings  # bound to this build's settings, not a copy


class _PreparedReader:
    """Gives, for any file, the process that prepared it."""

    def __init__(self):
        self.prepared_in = []

    def prepare_to_read(self):
        self.prepared_in.append(os.getpid())

    def read(self, path):
        return f"prepared in {self.prepared_in}", {}


def test_a_reader_that_can_be_prepared_is_prepared_once_before_the_fork(tmp_path):
    paths = []
    for number in range(2 * CHUNK_SIZE):
        path = tmp_path / f"note-{number}.txt"
        path.write_text(f"Note {number}\n", encoding="utf-8")
        paths.append(str(path))
    reader = _PreparedReader()

    results = read_in_workers({"txt": reader}, read_settings(), [(path, "txt") for path in paths], 2)

    assert sorted(results) == sorted(paths)
    assert {content for content, _metadata in results.values()} == {f"prepared in {[os.getpid()]}"}
    assert reader.prepared_in == [os.getpid()]
