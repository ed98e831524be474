"""read_in_workers with Pelican's real Markdown reader, compared with reading in this process."""

import gc

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
