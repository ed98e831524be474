from bs4 import BeautifulSoup

from handbill_handouts.print_markup import prepare_for_print

PAGE = "https://coach.example/posts/2024/hello/"


def no_local_images(url):
    return None


def test_links_become_numbered_notes_in_reading_order():
    html = (
        '<p>Read <a href="https://example.org/guide">the guide</a>, '
        'then <a href="https://coach.example/posts/2023/older/">my older post</a> and '
        '<a href="../second/">the next one</a>; the guide <a href="https://example.org/guide">again</a>.</p>'
    )
    content = prepare_for_print(html, PAGE, no_local_images)
    assert [(note.number, note.label, note.url) for note in content.notes] == [
        (1, "the guide", "https://example.org/guide"),
        (2, "my older post", "https://coach.example/posts/2023/older/"),
        (3, "the next one", "https://coach.example/posts/2024/second/"),
    ]
    # The same address keeps its number; links stay clickable in the PDF.
    assert content.html.count('<a href="#note-1">1</a>') == 2
    assert 'href="https://coach.example/posts/2023/older/"' in content.html


def test_a_link_that_shows_its_address_gets_no_note():
    html = (
        '<p><a href="https://example.org/">https://example.org</a> '
        '<a href="mailto:dana@coach.example">dana@coach.example</a> '
        '<a href="mailto:dana@coach.example">write to me</a></p>'
    )
    content = prepare_for_print(html, PAGE, no_local_images)
    assert [note.url for note in content.notes] == ["dana@coach.example"]


def test_footnotes_join_the_note_numbering():
    html = (
        '<p>First <a href="https://example.org/a">link</a>.<sup id="fnref:x">'
        '<a class="footnote-ref" href="#fn:x">1</a></sup></p>'
        '<div class="footnote"><hr><ol><li id="fn:x"><p>A footnote citing '
        '<a href="https://example.net/src">the source</a>.&#160;'
        '<a class="footnote-backref" href="#fnref:x">&#8617;</a></p></li></ol></div>'
    )
    content = prepare_for_print(html, PAGE, no_local_images)
    first, second = content.notes
    assert (first.number, first.url) == (1, "https://example.org/a")
    assert second.number == 2 and second.url == ""
    # The address printed in place, with a break opportunity after each part.
    assert "the source (https://example.net/src)" in BeautifulSoup(second.html, "html.parser").get_text()
    assert "https://<wbr/>example.<wbr/>net/<wbr/>src" in second.html
    assert "footnote-backref" not in second.html and "↩" not in second.html
    assert 'class="footnote"' not in content.html
    assert '<a href="#note-2">2</a>' in content.html


def test_permalinks_scripts_and_players_are_removed():
    html = (
        '<h2 id="why">Why<a class="headerlink" href="#why" title="Link">#</a></h2>'
        "<script>alert(1)</script>"
        '<iframe src="https://video.example/embed/42" title="My talk"></iframe>'
    )
    content = prepare_for_print(html, PAGE, no_local_images)
    assert "headerlink" not in content.html and "<script" not in content.html
    assert "<iframe" not in content.html
    assert "My talk (online only)" in content.html
    assert content.notes[0].url == "https://video.example/embed/42"


def test_images_point_at_local_files(tmp_path):
    picture = tmp_path / "diagram.png"
    picture.write_bytes(b"not checked here")

    def locate(url):
        if url == "https://coach.example/images/diagram.png":
            return "handout://content/images/diagram.png", picture
        return None

    html = (
        '<p><img src="../../../images/diagram.png" alt="Diagram" srcset="x 2x" loading="lazy">'
        '<img src="https://cdn.example/photo.jpg" alt="A photo"></p>'
    )
    content = prepare_for_print(html, PAGE, locate)
    assert 'src="handout://content/images/diagram.png"' in content.html
    assert "srcset" not in content.html and "loading" not in content.html
    assert content.images == (("handout://content/images/diagram.png", picture),)
    # An image with no local file is printed as a note, and reported.
    assert "[A photo]" in content.html
    assert content.notes[0].url == "https://cdn.example/photo.jpg"
    assert "https://cdn.example/photo.jpg" in content.problems[0]
