"""Export files as WordPress and Blogger write them, for the importer's tests.

The WXR export has one post whose comments take every status WordPress
gives (approved, pending, spam, trash, post-trashed), pingbacks and
trackbacks, anonymous comments, a name that is an email address, a thread
three deep and the owner's replies; a draft, a private post, a page, an
attachment and a block-editor post with a captioned figure. The Blogger
exports are one in Google Takeout's format and one in the older "Back up
content" format.
"""

import textwrap

import pytest

# Verbatim export text: its long lines are as the platforms write them, and breaking them would change the content.
WXR = """\
<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="http://wordpress.org/export/1.2/"
>
<channel>
	<title>Connected in Person</title>
	<link>https://old.example.com</link>
	<description>Networking notes</description>
	<pubDate>Mon, 01 Jul 2019 09:00:00 +0000</pubDate>
	<language>en-GB</language>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://old.example.com</wp:base_site_url>
	<wp:base_blog_url>https://old.example.com</wp:base_blog_url>
	<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[dana]]></wp:author_login><wp:author_email><![CDATA[dana@old.example.com]]></wp:author_email><wp:author_display_name><![CDATA[Dana Whitfield]]></wp:author_display_name><wp:author_first_name><![CDATA[Dana]]></wp:author_first_name><wp:author_last_name><![CDATA[Whitfield]]></wp:author_last_name></wp:author>
	<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename><![CDATA[networking]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Networking]]></wp:cat_name></wp:category>
	<generator>https://wordpress.org/?v=5.2.2</generator>

	<item>
		<title>Coffee, Then Cards</title>
		<link>https://old.example.com/2019/05/06/coffee-then-cards/</link>
		<pubDate>Mon, 06 May 2019 10:00:00 +0000</pubDate>
		<dc:creator><![CDATA[dana]]></dc:creator>
		<guid isPermaLink="false">https://old.example.com/?p=12</guid>
		<description></description>
		<content:encoded><![CDATA[Most people hand over a business card before they have said anything worth remembering.
Try it the other way round.

[caption id="attachment_13" align="aligncenter" width="300"]<a href="https://old.example.com/wp-content/uploads/2019/05/cups.jpg"><img class="size-medium wp-image-13" src="https://old.example.com/wp-content/uploads/2019/05/cups-300x200.jpg" alt="Two coffee cups on a table" width="300" height="200" /></a> Two cups, one <em>good</em> conversation.[/caption]

What to do instead:
<ul>
	<li>Ask what brought them here.</li>
	<li>Listen for the problem behind the answer.
<ul>
	<li>Write it down afterwards.</li>
</ul>
</li>
</ul>
<h2>Then the card</h2>
Offer your card when they ask how to reach you &amp; not before. Type &lt;b&gt; in your notes if you like.]]></content:encoded>
		<excerpt:encoded><![CDATA[Why the <em>card</em> comes last.]]></excerpt:encoded>
		<wp:post_id>12</wp:post_id>
		<wp:post_date><![CDATA[2019-05-06 11:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2019-05-06 10:00:00]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:ping_status><![CDATA[open]]></wp:ping_status>
		<wp:post_name><![CDATA[coffee-then-cards]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:menu_order>0</wp:menu_order>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<wp:post_password><![CDATA[]]></wp:post_password>
		<wp:is_sticky>0</wp:is_sticky>
		<category domain="category" nicename="networking"><![CDATA[Networking]]></category>
		<category domain="category" nicename="in-person"><![CDATA[In Person]]></category>
		<category domain="post_tag" nicename="coffee"><![CDATA[coffee]]></category>
		<category domain="post_tag" nicename="business-cards"><![CDATA[business cards]]></category>
		<wp:postmeta><wp:meta_key><![CDATA[_edit_last]]></wp:meta_key><wp:meta_value><![CDATA[1]]></wp:meta_value></wp:postmeta>
{comments}
	</item>

	<item>
		<title>Unfinished Thoughts</title>
		<link>https://old.example.com/?p=20</link>
		<pubDate>Mon, 30 Nov -0001 00:00:00 +0000</pubDate>
		<dc:creator><![CDATA[dana]]></dc:creator>
		<guid isPermaLink="false">https://old.example.com/?p=20</guid>
		<description></description>
		<content:encoded><![CDATA[Notes for a post about name badges.]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>20</wp:post_id>
		<wp:post_date><![CDATA[2019-06-01 09:30:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[0000-00-00 00:00:00]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[open]]></wp:comment_status>
		<wp:post_name><![CDATA[]]></wp:post_name>
		<wp:status><![CDATA[draft]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="networking"><![CDATA[Networking]]></category>
	</item>

	<item>
		<title>Members Only</title>
		<link>https://old.example.com/2019/06/02/members-only/</link>
		<dc:creator><![CDATA[dana]]></dc:creator>
		<content:encoded><![CDATA[For clients.]]></content:encoded>
		<wp:post_id>21</wp:post_id>
		<wp:post_date><![CDATA[2019-06-02 09:30:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2019-06-02 08:30:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[members-only]]></wp:post_name>
		<wp:status><![CDATA[private]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
	</item>

	<item>
		<title>Q&amp;A: What&#8217;s Next?</title>
		<link>https://old.example.com/2019/07/01/q-and-a/</link>
		<dc:creator><![CDATA[dana]]></dc:creator>
		<content:encoded><![CDATA[<!-- wp:paragraph -->
<p>Your questions from the June workshop.</p>
<!-- /wp:paragraph -->

<!-- wp:image {"id":31} -->
<figure class="wp-block-image"><img src="/wp-content/uploads/2019/07/room.jpg" alt="The workshop room" class="wp-image-31"/><figcaption>The room at the <a href="https://venue.example.org/">Old Library</a>.</figcaption></figure>
<!-- /wp:image -->]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>30</wp:post_id>
		<wp:post_date><![CDATA[2019-07-01 10:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2019-07-01 09:00:00]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[closed]]></wp:comment_status>
		<wp:post_name><![CDATA[q-and-a]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
		<category domain="category" nicename="networking"><![CDATA[Networking]]></category>
	</item>

	<item>
		<title>About</title>
		<link>https://old.example.com/about-me/</link>
		<dc:creator><![CDATA[dana]]></dc:creator>
		<content:encoded><![CDATA[I coach people who hate networking.]]></content:encoded>
		<wp:post_id>2</wp:post_id>
		<wp:post_date><![CDATA[2019-01-01 12:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2019-01-01 12:00:00]]></wp:post_date_gmt>
		<wp:comment_status><![CDATA[closed]]></wp:comment_status>
		<wp:post_name><![CDATA[about-me]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[page]]></wp:post_type>
	</item>

	<item>
		<title>cups</title>
		<link>https://old.example.com/2019/05/06/coffee-then-cards/cups/</link>
		<wp:post_id>13</wp:post_id>
		<wp:post_date><![CDATA[2019-05-06 11:00:00]]></wp:post_date>
		<wp:post_date_gmt><![CDATA[2019-05-06 10:00:00]]></wp:post_date_gmt>
		<wp:post_name><![CDATA[cups]]></wp:post_name>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[https://old.example.com/wp-content/uploads/2019/05/cups.jpg]]></wp:attachment_url>
	</item>
</channel>
</rss>
"""  # noqa: E501

# (id, parent, approved, type, author, email, url, user id, UTC date, content)
WXR_COMMENTS = [
    ("101", "0", "1", "", "Jane Harper", "jane@example.org", "https://jane.example.org/", "0",
     "2019-05-07 08:00:00", "This changed how I start conversations.\n\nThank you!"),
    ("102", "101", "1", "", "Dana Whitfield", "dana@old.example.com", "https://old.example.com", "1",
     "2019-05-07 09:15:00", "Glad it helped, Jane. Tell me how the next event goes."),
    ("103", "102", "1", "", "Jane Harper", "jane@example.org", "", "0",
     "2019-05-08 18:30:00", "It went well: three follow-up coffees booked."),
    ("104", "0", "0", "", "Tom Baker", "tom@example.net", "", "0",
     "2019-05-09 10:00:00", "Waiting for approval, this one."),
    ("105", "0", "spam", "", "Cheap Pills", "pills@spam.example", "http://spam.example/buy", "0",
     "2019-05-09 11:00:00", "Buy cheap pills at spam.example now"),
    ("106", "0", "trash", "", "Ann Lee", "ann@example.com", "", "0",
     "2019-05-10 12:00:00", "I deleted this one myself."),
    ("107", "0", "1", "pingback", "Another Blog &raquo; Networking links", "", "https://another.example/links/", "0",
     "2019-05-11 13:00:00", "[&#8230;] a good read on business cards [&#8230;]"),
    ("108", "0", "1", "", "", "", "", "0",
     "2019-05-12 14:00:00", "No name on this one."),
    ("109", "0", "1", "trackback", "Third Blog", "", "https://third.example/post/", "0",
     "2019-05-13 15:00:00", "Trackback excerpt text"),
    ("110", "0", "post-trashed", "", "Sam Reid", "sam@example.com", "", "0",
     "2019-05-14 16:00:00", "Comment on a post that was trashed once."),
    ("111", "0", "1", "", "bob@example.com", "bob@example.com", "bob@example.com", "0",
     "2019-05-15 17:00:00", "My email is bob@example.com, write to me."),
]

COMMENT_TEMPLATE = """\
		<wp:comment>
			<wp:comment_id>{id}</wp:comment_id>
			<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
			<wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
			<wp:comment_author_url>{url}</wp:comment_author_url>
			<wp:comment_author_IP><![CDATA[192.0.2.7]]></wp:comment_author_IP>
			<wp:comment_date><![CDATA[{local_date}]]></wp:comment_date>
			<wp:comment_date_gmt><![CDATA[{date}]]></wp:comment_date_gmt>
			<wp:comment_content><![CDATA[{content}]]></wp:comment_content>
			<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
			<wp:comment_type><![CDATA[{type}]]></wp:comment_type>
			<wp:comment_parent>{parent}</wp:comment_parent>
			<wp:comment_user_id>{user_id}</wp:comment_user_id>
		</wp:comment>"""


def wxr_text():
    comments = []
    for id_, parent, approved, type_, author, email, url, user_id, date, content in WXR_COMMENTS:
        local_date = date[:11] + f"{int(date[11:13]) + 1:02d}" + date[13:]  # the blog is on BST
        comments.append(
            COMMENT_TEMPLATE.format(
                id=id_, parent=parent, approved=approved, type=type_, author=author, email=email,
                url=url, user_id=user_id, date=date, local_date=local_date, content=content,
            )
        )
    return WXR.replace("{comments}", "\n".join(comments))


# Verbatim export text: its long lines are as the platforms write them, and breaking them would change the content.
BLOGGER_TAKEOUT = """\
<?xml version='1.0' encoding='utf-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>
  <id>tag:blogger.com,1999:blog-777</id>
  <title>Dana on Networking</title>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-9001</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author>
      <name>Dana Whitfield</name>
      <uri>https://www.blogger.com/profile/111</uri>
      <blogger:type>BLOGGER</blogger:type>
    </author>
    <title>Small Talk, Big Results</title>
    <content type='html'>&lt;div dir="ltr"&gt;Small talk is where trust starts.&lt;br /&gt;&lt;br /&gt;Ask about the journey, not the job.&lt;br /&gt;Then listen.&lt;/div&gt;&lt;table align="center" class="tr-caption-container"&gt;&lt;tbody&gt;&lt;tr&gt;&lt;td&gt;&lt;a href="https://blogger.googleusercontent.com/img/big.jpg"&gt;&lt;img border="0" src="https://blogger.googleusercontent.com/img/small.jpg" alt="A crowded room" /&gt;&lt;/a&gt;&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td class="tr-caption"&gt;The spring mixer, 2018&lt;/td&gt;&lt;/tr&gt;&lt;/tbody&gt;&lt;/table&gt;</content>
    <blogger:created>2018-03-10T18:20:00.000Z</blogger:created>
    <published>2018-03-12T09:00:00.000+01:00</published>
    <updated>2018-03-12T09:05:00.000Z</updated>
    <category scheme='tag:blogger.com,1999:blog-777' term='Conversation'/>
    <category scheme='tag:blogger.com,1999:blog-777' term='Events'/>
    <blogger:filename>/2018/03/small-talk-big-results.html</blogger:filename>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-9002</id>
    <blogger:type>POST</blogger:type>
    <blogger:status>DRAFT</blogger:status>
    <author><name>Dana Whitfield</name><uri>https://www.blogger.com/profile/111</uri><blogger:type>BLOGGER</blogger:type></author>
    <title>Draft About Badges</title>
    <content type='html'>Not ready.</content>
    <published>2018-04-01T10:00:00Z</published>
    <blogger:filename></blogger:filename>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-9003</id>
    <blogger:type>PAGE</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author><name>Dana Whitfield</name><uri>https://www.blogger.com/profile/111</uri><blogger:type>BLOGGER</blogger:type></author>
    <title>Contact</title>
    <content type='html'>Write to me through the form.</content>
    <published>2018-01-01T10:00:00Z</published>
    <blogger:filename>/p/contact.html</blogger:filename>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-5001</id>
    <blogger:parent>tag:blogger.com,1999:blog-777.post-9001</blogger:parent>
    <blogger:inReplyTo></blogger:inReplyTo>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author><name>Maria Gomez</name><uri>https://www.blogger.com/profile/222</uri><blogger:type>BLOGGER</blogger:type></author>
    <title></title>
    <content type='html'>I tried this at the chamber breakfast.&lt;br /&gt;It works!</content>
    <published>2018-03-13T08:00:00.000Z</published>
    <blogger:trashed></blogger:trashed>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-5002</id>
    <blogger:parent>tag:blogger.com,1999:blog-777.post-9001</blogger:parent>
    <blogger:inReplyTo>tag:blogger.com,1999:blog-777.post-5001</blogger:inReplyTo>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author><name>Dana Whitfield</name><uri>https://www.blogger.com/profile/111</uri><blogger:type>BLOGGER</blogger:type></author>
    <content type='html'>Lovely to hear, Maria.</content>
    <published>2018-03-13T09:30:00.000Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-5003</id>
    <blogger:parent>tag:blogger.com,1999:blog-777.post-9001</blogger:parent>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>LIVE</blogger:status>
    <author><name>Anonymous</name><uri></uri><blogger:type>ANONYMOUS</blogger:type></author>
    <content type='html'>Great post!!</content>
    <published>2018-03-14T10:00:00.000Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-5004</id>
    <blogger:parent>tag:blogger.com,1999:blog-777.post-9001</blogger:parent>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>SPAM</blogger:status>
    <author><name>Best Deals</name><uri>http://deals.example/</uri><blogger:type>BLOGGER</blogger:type></author>
    <content type='html'>Click here for deals</content>
    <published>2018-03-15T10:00:00.000Z</published>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-777.post-5005</id>
    <blogger:parent>tag:blogger.com,1999:blog-777.post-9001</blogger:parent>
    <blogger:type>COMMENT</blogger:type>
    <blogger:status>PENDING</blogger:status>
    <author><name>Priya Natarajan</name><uri>https://www.blogger.com/profile/333</uri><blogger:type>BLOGGER</blogger:type></author>
    <content type='html'>Still waiting for moderation.</content>
    <published>2018-03-16T10:00:00.000Z</published>
  </entry>
</feed>
"""  # noqa: E501

# Verbatim export text: its long lines are as the platforms write them, and breaking them would change the content.
BLOGGER_CLASSIC = """\
<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://purl.org/syndication/thread/1.0'>
  <id>tag:blogger.com,1999:blog-555</id>
  <updated>2016-05-01T10:00:00.000+01:00</updated>
  <title type='text'>Old Blogger Blog</title>
  <link rel='alternate' type='text/html' href='http://danaold.blogspot.com/'/>
  <author><name>Dana Whitfield</name><uri>https://www.blogger.com/profile/111</uri><email>noreply@blogger.com</email></author>
  <entry>
    <id>tag:blogger.com,1999:blog-555.settings.BLOG_NAME</id>
    <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#settings'/>
    <title type='text'>BLOG_NAME</title>
    <content type='text'>Old Blogger Blog</content>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-555.post-42</id>
    <published>2016-04-30T09:00:00.000+01:00</published>
    <updated>2016-04-30T09:10:00.000+01:00</updated>
    <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>
    <category scheme='http://www.blogger.com/atom/ns#' term='Follow-up'/>
    <title type='text'>Thank-You Notes Still Work</title>
    <content type='html'>&lt;p&gt;Handwritten, posted, within a week.&lt;/p&gt;</content>
    <link rel='alternate' type='text/html' href='http://danaold.blogspot.com/2016/04/thank-you-notes-still-work.html' title='Thank-You Notes Still Work'/>
    <author><name>Dana Whitfield</name><uri>https://www.blogger.com/profile/111</uri><email>noreply@blogger.com</email></author>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-555.post-43</id>
    <published>2016-04-30T12:00:00.000+01:00</published>
    <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
    <title type='text'>Agreed</title>
    <content type='html'>Agreed, I still send them.</content>
    <link rel='alternate' type='text/html' href='http://danaold.blogspot.com/2016/04/thank-you-notes-still-work.html?showComment=1462014000000#c43'/>
    <author><name>Leo Park</name><uri>https://www.blogger.com/profile/444</uri><email>noreply@blogger.com</email></author>
    <thr:in-reply-to href='http://danaold.blogspot.com/2016/04/thank-you-notes-still-work.html' ref='tag:blogger.com,1999:blog-555.post-42' type='text/html'/>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-555.post-44</id>
    <published>2016-04-30T13:00:00.000+01:00</published>
    <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
    <content type='html'>Thanks Leo!</content>
    <link rel='related' type='application/atom+xml' href='https://www.blogger.com/feeds/555/42/comments/default/43'/>
    <author><name>Dana Whitfield</name><uri>https://www.blogger.com/profile/111</uri><email>noreply@blogger.com</email></author>
    <thr:in-reply-to href='http://danaold.blogspot.com/2016/04/thank-you-notes-still-work.html' ref='tag:blogger.com,1999:blog-555.post-42' type='text/html'/>
  </entry>
  <entry>
    <id>tag:blogger.com,1999:blog-555.post-45</id>
    <published>2016-04-30T14:00:00.000+01:00</published>
    <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#comment'/>
    <content type='html'>Nice</content>
    <author><name>Anonymous</name><email>noreply@blogger.com</email></author>
    <thr:in-reply-to href='http://danaold.blogspot.com/2016/04/thank-you-notes-still-work.html' ref='tag:blogger.com,1999:blog-555.post-42' type='text/html'/>
  </entry>
</feed>
"""  # noqa: E501


@pytest.fixture
def wxr_file(tmp_path):
    path = tmp_path / "exports" / "dana.wordpress.2019-07-01.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wxr_text(), encoding="utf-8")
    return path


@pytest.fixture
def wxr_commenter_emails():
    return {comment[5] for comment in WXR_COMMENTS if comment[5]}


@pytest.fixture
def blogger_file(tmp_path):
    path = tmp_path / "exports" / "feed.atom"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BLOGGER_TAKEOUT, encoding="utf-8")
    return path


@pytest.fixture
def blogger_classic_file(tmp_path):
    path = tmp_path / "exports" / "blog-05-01-2016.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(BLOGGER_CLASSIC), encoding="utf-8")
    return path


# Disqus exports (test_disqus.py) -------------------------------------------------------------
#
# Built as Disqus writes them (Moderation → Export): a <category>, then every <thread> the forum
# knows (with its link, title and the identifier the blog gave), then every <post> (comment)
# naming its thread and the comment it answers. The threads belong to the WXR blog above, in the
# address forms Disqus collects: http and https, with and without www. and the trailing slash,
# WordPress's "?p=ID"; one thread is of a post that no longer exists and one of a page.

DISQUS_HEADER = """\
<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://disqus.com/api/schemas/1.0/disqus.xsd http://disqus.com/api/schemas/1.0/disqus-internals.xsd">
<category dsq:id="3141">
<forum>oldexample</forum>
<title>General</title>
<isDefault>true</isDefault>
</category>
"""  # noqa: E501

# (dsq:id, link, title, identifier)
DISQUS_THREADS = [
    ("7001", "http://www.old.example.com/2019/05/06/coffee-then-cards", "Coffee, Then Cards", ""),
    ("7002", "https://old.example.com/?p=30", "Q&amp;A: What&#8217;s Next?", "30 https://old.example.com/?p=30"),
    ("7003", "https://old.example.com/2019/05/06/coffee-then-cards/?utm_source=feed#disqus_thread",
     "Coffee, Then Cards", ""),
    ("7004", "https://old.example.com/2015/01/01/gone-post/", "A Post Long Gone", ""),
    ("7005", "https://old.example.com/about-me/", "About", ""),
    ("7006", "https://old.example.com/2019/06/02/members-only/", "Members Only", ""),  # no comments
]

# Disqus sends links through its redirector, with a tracking code after the address.
LINK_THROUGH_DISQUS = (
    '<p>Great read. I tried it at <a href="https://disq.us/url?url=https%3A%2F%2Fmeetup.example%2Fevents%2F'
    '%3AAbC123xyz&amp;cuid=4242" rel="nofollow noopener" title="meetup.example">the meetup</a>.</p><p>Worked!</p>'
)

# (dsq:id, thread, parent, UTC createdAt, name, email, username, isAnonymous, isDeleted, isSpam, message)
DISQUS_POSTS = [
    ("9001", "7001", "", "2019-05-08T08:00:00Z", "Jane Harper", "jane@example.org", "janeharper", False, False,
     False, LINK_THROUGH_DISQUS),
    ("9002", "7001", "9001", "2019-05-08T09:30:00Z", "Tom Baker", "tom@example.net", "tombaker", False, False,
     False, "<p>Same here, <b>twice</b>.</p>"),
    ("9003", "7001", "9002", "2019-05-08T10:45:00Z", "Jane Harper", "jane@example.org", "janeharper", False, False,
     False, "<p>Good to hear, Tom.</p>"),
    ("9004", "7001", "9001", "2019-05-09T08:00:00Z", "", "", "", False, True, False, ""),
    ("9005", "7001", "", "2019-05-09T09:00:00Z", "Cheap Watches", "sales@watches.example", "watches4u", False,
     False, True, '<p>Buy <a href="http://watches.example/">watches</a></p>'),
    ("9006", "7001", "", "2019-05-09T10:00:00Z", "Guest", "guest@example.net", "", True, False, False,
     "<p>Nice post.</p>"),
    ("9007", "7003", "", "2019-05-10T08:00:00Z", "coffee_lover88", "lover@example.com", "coffee_lover88", False,
     False, False, "<p>Coffee first, always.</p>"),
    ("9008", "7003", "", "2019-05-10T09:00:00Z", "Sam Reid", "sam.reid@example.com", "samreid", False, False,
     False, "<p>Write to me at sam.reid@example.com about it.</p>"),
    ("9009", "7002", "", "2019-07-02T08:00:00Z", "Priya Natarajan", "priya@example.in", "priya_n", False, False,
     False, "<p>Thanks for answering mine!</p>"),
    ("9010", "7004", "", "2015-01-02T08:00:00Z", "Leo Park", "leo@example.kr", "leopark", False, False, False,
     "<p>This post is gone.</p>"),
    ("9011", "7005", "", "2019-02-01T08:00:00Z", "Ann Lee", "ann@example.com", "annlee", False, False, False,
     "<p>Hello from the about page.</p>"),
    ("9012", "7002", "", "yesterday", "Maria Gomez", "maria@example.es", "mariag", False, False, False,
     "<p>A date Disqus never writes.</p>"),
    ("9013", "7999", "", "2019-05-11T08:00:00Z", "Ray Stone", "ray@example.com", "rays", False, False, False,
     "<p>Of a thread missing from the file.</p>"),
]


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _disqus_author(name, email, username, anonymous):
    return (
        f"<author>\n<email>{email}</email>\n<name>{name}</name>\n"
        f"<isAnonymous>{str(anonymous).lower()}</isAnonymous>\n"
        + (f"<username>{username}</username>\n" if username else "")
        + "</author>\n"
    )


def disqus_export_text(threads=DISQUS_THREADS, posts=DISQUS_POSTS, forum="oldexample"):
    """A Disqus export of ``threads`` and ``posts`` (as DISQUS_THREADS and DISQUS_POSTS)."""
    parts = [DISQUS_HEADER.replace("oldexample", forum)]
    for dsq_id, link, title, identifier in threads:
        parts.append(
            f'<thread dsq:id="{dsq_id}">\n'
            + (f"<id>{identifier}</id>\n" if identifier else "<id />\n")
            + f'<forum>{forum}</forum>\n<category dsq:id="3141" />\n<link>{link}</link>\n<title>{title}</title>\n'
            "<message />\n<createdAt>2019-05-06T10:05:00Z</createdAt>\n"
            + _disqus_author("Dana Whitfield", "dana@old.example.com", "danawhitfield", False)
            + "<ipAddress>192.0.2.1</ipAddress>\n<isClosed>false</isClosed>\n<isDeleted>false</isDeleted>\n"
            "</thread>\n"
        )
    for dsq_id, thread, parent, created, name, email, username, anonymous, deleted, spam, message in posts:
        parts.append(
            f'<post dsq:id="{dsq_id}">\n<id />\n<message>{_cdata(message)}</message>\n'
            f"<createdAt>{created}</createdAt>\n<isDeleted>{str(deleted).lower()}</isDeleted>\n"
            f"<isSpam>{str(spam).lower()}</isSpam>\n"
            + _disqus_author(name, email, username, anonymous)
            + f'<ipAddress>192.0.2.9</ipAddress>\n<thread dsq:id="{thread}" />\n'
            + (f'<parent dsq:id="{parent}" />\n' if parent else "")
            + "</post>\n"
        )
    parts.append("</disqus>\n")
    return "".join(parts)


@pytest.fixture
def disqus_file(tmp_path):
    path = tmp_path / "exports" / "oldexample-2019-07-01T10:00:00.000000-all.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(disqus_export_text(), encoding="utf-8")
    return path


@pytest.fixture
def disqus_emails():
    return {post[5] for post in DISQUS_POSTS if post[5]} | {"dana@old.example.com"}
