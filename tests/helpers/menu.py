"""The public menu as a visitor gets it, read as a tree of labels."""

from html.parser import HTMLParser


class _MenuParser(HTMLParser):
    """The ``<nav class="menu">`` of a public page as nested [label, children] lists."""

    def __init__(self):
        super().__init__()
        self.roots, self.stack, self.in_nav, self.capturing = [], [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "nav" and ("class", "menu") in attrs:
            self.in_nav = True
        elif self.in_nav and tag == "li":
            node = ["", []]
            (self.stack[-1][1] if self.stack else self.roots).append(node)
            self.stack.append(node)
        elif (
            self.in_nav and tag in ("a", "span", "summary") and self.stack and not self.stack[-1][0]
        ):
            self.capturing = self.stack[-1]

    def handle_endtag(self, tag):
        if tag in ("a", "span", "summary"):
            self.capturing = None
        elif self.in_nav and tag == "li":
            self.stack.pop()
        elif tag == "nav":
            self.in_nav = False

    def handle_data(self, data):
        if self.capturing is not None:
            self.capturing[0] += data.strip()


def public_menu(client):
    """The menu of the home page, as a fresh visitor gets it."""
    response = client.get("/")
    assert response.status_code == 200
    parser = _MenuParser()
    parser.feed(response.content.decode())
    return parser.roots


def menu_parent(menu, label):
    """(label of the entry holding ``label``, labels of it and its siblings), or None."""
    for node_label, children in _walk(menu):
        labels = [child[0] for child in children]
        if label in labels:
            return node_label, labels
    return None


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node[1])


def neighbours(names, name):
    """``name`` with the names just before and after it."""
    at = names.index(name)
    return names[max(at - 1, 0) : at + 2]
