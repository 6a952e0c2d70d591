//! Flowing A4 pages with a structure tree: text is wrapped with the bundled font's own glyph
//! widths, a block that reaches the bottom margin continues on a new page, and every piece drawn
//! belongs to a heading, paragraph, list item or figure (or is marked as page furniture), so a
//! screen reader reads the handout in order and krilla's PDF/UA-1 check can pass.
//!
//! Laying out first and drawing afterwards keeps the two apart: the layout needs no open page,
//! and the footer can say "page 2 of 5" because the page count is known before anything is drawn.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::tagging::{ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, Tag, TagGroup, TagTree};
use krilla::text::{Font, TextDirection};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use std::num::NonZeroU16;
use std::sync::LazyLock;

/// A4 in points.
pub const PAGE: (f32, f32) = (595.0, 842.0);
/// Left and right margin.
pub const MARGIN: f32 = 56.0;
/// Where text starts on a page.
const TOP: f32 = 56.0;
/// Where text must end, above the footer.
const BOTTOM: f32 = PAGE.1 - 64.0;
/// Line height as a share of the font size.
const LEADING: f32 = 1.35;

static REGULAR_BYTES: &[u8] = include_bytes!("../../../fonts/DejaVuSans.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../../../fonts/DejaVuSans-Bold.ttf");
static REGULAR: LazyLock<Font> = LazyLock::new(|| Font::new(REGULAR_BYTES.into(), 0).expect("bundled font"));
static BOLD: LazyLock<Font> = LazyLock::new(|| Font::new(BOLD_BYTES.into(), 0).expect("bundled font"));

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    /// Body text.
    pub const TEXT: Colour = Colour(20, 20, 20);
    /// Headings: dark enough for 7:1 contrast on white.
    pub const HEADING: Colour = Colour(14, 61, 89);
    /// Quieter text (captions, the footer): still 4.5:1 on white.
    pub const MUTED: Colour = Colour(85, 85, 85);
    /// The stop-on-sharp-pain box.
    pub const WARNING: Colour = Colour(150, 20, 20);

    fn rgb(self) -> rgb::Color {
        rgb::Color::new(self.0, self.1, self.2)
    }
}

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// Body text.
    Regular,
    /// Headings and labels.
    Bold,
}

impl Weight {
    fn bytes(self) -> &'static [u8] {
        match self {
            Weight::Regular => REGULAR_BYTES,
            Weight::Bold => BOLD_BYTES,
        }
    }

    fn font(self) -> Font {
        match self {
            Weight::Regular => REGULAR.clone(),
            Weight::Bold => BOLD.clone(),
        }
    }
}

/// `text` with every character the font has no glyph for (a name in a script DejaVu Sans does
/// not cover, an emoji) shown as "?": a tagged PDF/UA file may not draw a missing glyph, and a
/// question mark says plainly that something is not shown.
pub fn drawable(text: &str, weight: Weight) -> String {
    let font = skrifa::FontRef::new(weight.bytes()).expect("bundled font");
    let charmap = font.charmap();
    text.chars().map(|c| if charmap.map(c).is_some() { c } else { '?' }).collect()
}

/// How wide `text` is at `size` points, from the font's own advance widths.
pub fn text_width(text: &str, size: f32, weight: Weight) -> f32 {
    let font = skrifa::FontRef::new(weight.bytes()).expect("bundled font");
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    drawable(text, weight).chars().filter_map(|c| charmap.map(c)).filter_map(|glyph| metrics.advance_width(glyph)).sum()
}

/// Lines of at most `width` points; a word longer than a line is broken between characters.
pub fn wrap(text: &str, size: f32, weight: Weight, width: f32) -> Vec<String> {
    let space = text_width(" ", size, weight);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0.0;
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        let mut word_width = text_width(&word, size, weight);
        while word_width > width && !word.is_empty() {
            // Break an over-long word (a long name, a web address) where the line ends.
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            let mut cut = String::new();
            for c in word.chars() {
                if text_width(&format!("{cut}{c}"), size, weight) > width && !cut.is_empty() {
                    break;
                }
                cut.push(c);
            }
            word = word[cut.len()..].to_owned();
            lines.push(cut);
            word_width = text_width(&word, size, weight);
        }
        if word.is_empty() {
            continue;
        }
        if !line.is_empty() && used + space + word_width > width {
            lines.push(std::mem::take(&mut line));
            used = 0.0;
        }
        if !line.is_empty() {
            line.push(' ');
            used += space;
        }
        line.push_str(&word);
        used += word_width;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// One thing to draw, in page coordinates (points, y down).
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// A line of text; `at` is the start of its baseline.
    Text { at: (f32, f32), size: f32, weight: Weight, colour: Colour, text: String },
    /// Connected straight segments.
    Line { points: Vec<(f32, f32)>, width: f32, colour: Colour, dashed: bool },
    /// A filled rectangle.
    Rect { x: f32, y: f32, w: f32, h: f32, colour: Colour },
    /// A circle, filled or outlined.
    Circle { centre: (f32, f32), radius: f32, colour: Colour, outline: Option<f32> },
}

impl Draw {
    /// Moves the drawing by (dx, dy).
    pub fn shifted(mut self, dx: f32, dy: f32) -> Draw {
        let shift = |p: &mut (f32, f32)| {
            p.0 += dx;
            p.1 += dy;
        };
        match &mut self {
            Draw::Text { at, .. } => shift(at),
            Draw::Line { points, .. } => points.iter_mut().for_each(shift),
            Draw::Rect { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Draw::Circle { centre, .. } => shift(centre),
        }
        self
    }

    fn paint(&self, surface: &mut Surface<'_>) {
        match self {
            Draw::Text { at, size, weight, colour, text } => {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill { paint: colour.rgb().into(), ..Fill::default() }));
                let text = drawable(text, *weight);
                surface.draw_text(Point::from_xy(at.0, at.1), weight.font(), *size, &text, false, TextDirection::Auto);
            }
            Draw::Line { points, width, colour, dashed } => {
                let mut path = PathBuilder::new();
                for (i, &(x, y)) in points.iter().enumerate() {
                    if i == 0 { path.move_to(x, y) } else { path.line_to(x, y) }
                }
                if let Some(path) = path.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: colour.rgb().into(),
                        width: *width,
                        dash: dashed.then(|| StrokeDash { array: vec![5.0, 3.0], offset: 0.0 }),
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                }
            }
            Draw::Rect { x, y, w, h, colour } => {
                let mut path = PathBuilder::new();
                if let Some(rect) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) {
                    path.push_rect(rect);
                }
                if let Some(path) = path.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill { paint: colour.rgb().into(), ..Fill::default() }));
                    surface.draw_path(&path);
                }
            }
            Draw::Circle { centre: (cx, cy), radius: r, colour, outline } => {
                // Four cubic arcs; 0.5523 is the usual control-point distance for a circle.
                let k = 0.5523 * r;
                let mut path = PathBuilder::new();
                path.move_to(cx + r, *cy);
                path.cubic_to(cx + r, cy + k, cx + k, cy + r, *cx, cy + r);
                path.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, *cy);
                path.cubic_to(cx - r, cy - k, cx - k, cy - r, *cx, cy - r);
                path.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, *cy);
                path.close();
                if let Some(path) = path.finish() {
                    match outline {
                        Some(width) => {
                            surface.set_fill(None);
                            surface.set_stroke(Some(Stroke {
                                paint: colour.rgb().into(),
                                width: *width,
                                ..Stroke::default()
                            }));
                        }
                        None => {
                            surface.set_stroke(None);
                            surface.set_fill(Some(Fill { paint: colour.rgb().into(), ..Fill::default() }));
                        }
                    }
                    surface.draw_path(&path);
                }
            }
        }
    }
}

/// What a block means, for the structure tree.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Heading {
        level: u16,
        title: String,
    },
    Paragraph,
    /// An item of the list numbered `list`.
    Item {
        list: usize,
        numbering: ListNumbering,
    },
    Figure {
        alt: String,
    },
}

/// Which part of a list item a piece is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Label,
    Body,
}

/// Content drawn as one marked sequence.
#[derive(Debug, Clone)]
struct Piece {
    block: usize,
    part: Part,
    draws: Vec<Draw>,
}

/// The document being laid out.
pub struct Flow {
    pages: Vec<Vec<Piece>>,
    blocks: Vec<Block>,
    lists: usize,
    /// Headings for the bookmarks: level, title, page index and top.
    outline: Vec<(u16, String, usize, f32)>,
    /// The top of the next block on the current page.
    pub y: f32,
    /// The left edge of the current column.
    pub left: f32,
    /// The width of the current column.
    pub width: f32,
}

impl Default for Flow {
    fn default() -> Self {
        Flow {
            pages: vec![Vec::new()],
            blocks: Vec::new(),
            lists: 0,
            outline: Vec::new(),
            y: TOP,
            left: MARGIN,
            width: PAGE.0 - 2.0 * MARGIN,
        }
    }
}

impl Flow {
    /// Starts a new page (unless the current one is still empty).
    pub fn new_page(&mut self) {
        if self.pages.last().is_some_and(|page| !page.is_empty()) {
            self.pages.push(Vec::new());
        }
        self.y = TOP;
    }

    /// Moves to a new page unless `height` more points fit on this one.
    pub fn keep(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    /// Vertical space.
    pub fn gap(&mut self, points: f32) {
        self.y += points;
    }

    fn block(&mut self, block: Block) -> usize {
        self.blocks.push(block);
        self.blocks.len() - 1
    }

    fn piece(&mut self, block: usize, part: Part, draws: Vec<Draw>) {
        self.pages.last_mut().expect("a page").push(Piece { block, part, draws });
    }

    /// Wrapped lines from the current position, each its own piece so a page break can fall
    /// between any two; `indent` shifts them right within the column.
    fn lines(&mut self, block: usize, part: Part, text: &str, style: Style, indent: f32) {
        for line in wrap(text, style.size, style.weight, self.width - indent) {
            let height = style.size * LEADING;
            self.keep(height);
            let at = (self.left + indent, self.y + style.size);
            self.piece(
                block,
                part,
                vec![Draw::Text { at, size: style.size, weight: style.weight, colour: style.colour, text: line }],
            );
            self.y += height;
        }
    }

    /// A heading; it moves to the next page rather than sit alone at the bottom of this one.
    pub fn heading(&mut self, level: u16, text: &str) {
        let style = Style::heading(level);
        self.gap(style.size * 0.6);
        self.keep(style.size * LEADING + 4.0 * 10.0 * LEADING);
        let block = self.block(Block::Heading { level, title: text.to_owned() });
        self.outline.push((level, text.to_owned(), self.pages.len() - 1, self.y));
        self.lines(block, Part::Body, text, style, 0.0);
        self.gap(style.size * 0.2);
    }

    /// A paragraph.
    pub fn paragraph(&mut self, text: &str, style: Style) {
        let block = self.block(Block::Paragraph);
        self.lines(block, Part::Body, text, style, 0.0);
        self.gap(style.size * 0.35);
    }

    /// A list; each item's `label` ("1.", "•") hangs to the left of its text.
    pub fn list(&mut self, items: &[(String, String)], numbering: ListNumbering, style: Style) {
        self.lists += 1;
        let list = self.lists;
        let hang = items.iter().map(|(label, _)| text_width(label, style.size, style.weight)).fold(0.0, f32::max) + 6.0;
        for (label, text) in items {
            let block = self.block(Block::Item { list, numbering });
            self.keep(style.size * LEADING);
            let at = (self.left, self.y + style.size);
            self.piece(
                block,
                Part::Label,
                vec![Draw::Text {
                    at,
                    size: style.size,
                    weight: style.weight,
                    colour: style.colour,
                    text: label.clone(),
                }],
            );
            self.lines(block, Part::Body, text, style, hang);
            self.gap(style.size * 0.2);
        }
        self.gap(style.size * 0.3);
    }

    /// A figure `height` points tall at `x` (column-relative), drawn by `draws` in figure
    /// coordinates (0, 0 is its top left); `alt` is what a screen reader says instead.
    pub fn figure(&mut self, alt: &str, x: f32, height: f32, draws: Vec<Draw>) {
        self.keep(height);
        let block = self.block(Block::Figure { alt: alt.to_owned() });
        let (dx, dy) = (self.left + x, self.y);
        self.piece(block, Part::Body, draws.into_iter().map(|d| d.shifted(dx, dy)).collect());
    }

    /// Lays out the document, then draws it: every page gets `footer(page, pages)` as page
    /// furniture at its foot.
    pub fn finish(self, metadata: krilla::metadata::Metadata, footer: impl Fn(usize, usize) -> String) -> Vec<u8> {
        let configuration = krilla::configure::ConfigurationBuilder::new()
            .with_accessibility_validator(krilla::configure::Accessibility::UA1)
            .finish()
            .expect("PDF/UA-1 on its own is a valid configuration");
        let settings = krilla::SerializeSettings { configuration, enable_tagging: true, ..Default::default() };
        let mut document = krilla::Document::new_with(settings);
        document.set_metadata(metadata);
        let mut marked: Vec<Vec<(Part, Identifier)>> = vec![Vec::new(); self.blocks.len()];
        let count = self.pages.len();
        for (index, pieces) in self.pages.iter().enumerate() {
            let settings = krilla::page::PageSettings::from_wh(PAGE.0, PAGE.1).expect("A4 is a valid size");
            let mut page = document.start_page_with(settings);
            let mut surface = page.surface();
            for piece in pieces {
                let tag = match self.blocks[piece.block] {
                    Block::Figure { .. } => ContentTag::Other,
                    _ => ContentTag::Span(SpanTag::empty()),
                };
                let id = surface.start_tagged(tag);
                piece.draws.iter().for_each(|d| d.paint(&mut surface));
                surface.end_tagged();
                marked[piece.block].push((piece.part, id));
            }
            let footer = footer(index + 1, count);
            surface.start_tagged(ContentTag::Artifact(krilla::tagging::Artifact::with_kind(ArtifactType::Footer)));
            Draw::Line {
                points: vec![(MARGIN, PAGE.1 - 48.0), (PAGE.0 - MARGIN, PAGE.1 - 48.0)],
                width: 0.5,
                colour: Colour::MUTED,
                dashed: false,
            }
            .paint(&mut surface);
            Draw::Text {
                at: (MARGIN, PAGE.1 - 34.0),
                size: 8.0,
                weight: Weight::Regular,
                colour: Colour::MUTED,
                text: footer,
            }
            .paint(&mut surface);
            surface.end_tagged();
            surface.finish();
            page.finish();
        }
        document.set_tag_tree(tree(&self.blocks, marked));
        document.set_outline(outline(&self.outline));
        document.finish().expect("the handout is valid PDF/UA-1 (krilla checks it)")
    }
}

/// Bookmarks for the headings down to level 3, nested by level.
fn outline(headings: &[(u16, String, usize, f32)]) -> krilla::outline::Outline {
    use krilla::destination::XyzDestination;
    use krilla::outline::OutlineNode;
    fn nest(headings: &[(u16, String, usize, f32)], level: u16) -> Vec<OutlineNode> {
        let mut nodes = Vec::new();
        let mut rest = headings;
        while let Some(((own, title, page, y), after)) = rest.split_first() {
            let end = after.iter().position(|(l, ..)| *l <= *own).unwrap_or(after.len());
            if *own == level {
                let mut node = OutlineNode::new(title.clone(), XyzDestination::new(*page, Point::from_xy(0.0, *y)));
                for child in nest(&after[..end], level + 1) {
                    node.push_child(child);
                }
                nodes.push(node);
            }
            rest = &after[end..];
        }
        nodes
    }
    let mut outline = krilla::outline::Outline::new();
    let shown: Vec<(u16, String, usize, f32)> = headings.iter().filter(|(level, ..)| *level <= 3).cloned().collect();
    for node in nest(&shown, 1) {
        outline.push_child(node);
    }
    outline
}

/// The structure tree, in reading order: consecutive items of one list become one list.
fn tree(blocks: &[Block], marked: Vec<Vec<(Part, Identifier)>>) -> TagTree {
    let mut tree = TagTree::new().with_lang(Some("en".to_owned()));
    let ids = |pieces: Vec<(Part, Identifier)>, part: Part| -> Vec<Node> {
        pieces.into_iter().filter(|(p, _)| *p == part).map(|(_, id)| Node::from(id)).collect()
    };
    let mut open_list: Option<(usize, TagGroup)> = None;
    for (block, pieces) in blocks.iter().zip(marked) {
        if let Block::Item { list, numbering } = block {
            if open_list.as_ref().is_none_or(|(open, _)| open != list) {
                if let Some((_, group)) = open_list.take() {
                    tree.push(group);
                }
                open_list = Some((*list, TagGroup::new(Tag::L(*numbering))));
            }
            let item = TagGroup::with_children(
                Tag::LI,
                vec![
                    TagGroup::with_children(Tag::Lbl, ids(pieces.clone(), Part::Label)).into(),
                    TagGroup::with_children(Tag::LBody, ids(pieces, Part::Body)).into(),
                ],
            );
            if let Some((_, group)) = open_list.as_mut() {
                group.push(item);
            }
            continue;
        }
        if let Some((_, group)) = open_list.take() {
            tree.push(group);
        }
        let children = ids(pieces, Part::Body);
        tree.push(match block {
            Block::Heading { level, title } => {
                let level = NonZeroU16::new(*level).unwrap_or(NonZeroU16::MIN);
                TagGroup::with_children(Tag::Hn(level, Some(title.clone())), children)
            }
            Block::Paragraph => TagGroup::with_children(Tag::P, children),
            Block::Figure { alt } => TagGroup::with_children(Tag::Figure(Some(alt.clone())), children),
            Block::Item { .. } => unreachable!("handled above"),
        });
    }
    if let Some((_, group)) = open_list {
        tree.push(group);
    }
    tree
}

/// Size, weight and colour of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    /// Font size in points.
    pub size: f32,
    /// Regular or bold.
    pub weight: Weight,
    /// Its colour.
    pub colour: Colour,
}

impl Style {
    /// Body text: 10.5 pt reads comfortably on paper.
    pub const BODY: Style = Style { size: 10.5, weight: Weight::Regular, colour: Colour::TEXT };
    /// Captions and small print.
    pub const SMALL: Style = Style { size: 9.0, weight: Weight::Regular, colour: Colour::MUTED };
    /// A bold lead-in line.
    pub const STRONG: Style = Style { size: 10.5, weight: Weight::Bold, colour: Colour::TEXT };

    /// The style of a heading level (1 is the title).
    pub fn heading(level: u16) -> Style {
        let size = match level {
            1 => 20.0,
            2 => 15.0,
            3 => 12.5,
            _ => 10.5,
        };
        Style { size, weight: Weight::Bold, colour: Colour::HEADING }
    }

    /// This style in another colour.
    pub fn coloured(self, colour: Colour) -> Style {
        Style { colour, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_the_width_and_keep_every_word() {
        let text = "Sit tall on a chair with your knees bent to a right angle and your feet flat on the floor, \
                    then turn one foot outward while the knee stays still: that is internal rotation.";
        let lines = wrap(text, 10.5, Weight::Regular, 200.0);
        assert!(lines.len() > 2);
        assert!(lines.iter().all(|line| text_width(line, 10.5, Weight::Regular) <= 200.0));
        assert_eq!(lines.join(" "), text.split_whitespace().collect::<Vec<_>>().join(" "));
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_not_spilled() {
        let lines = wrap(&"a".repeat(300), 10.0, Weight::Bold, 100.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|line| text_width(line, 10.0, Weight::Bold) <= 100.0));
        assert_eq!(lines.concat().len(), 300);
    }

    #[test]
    fn bold_text_is_wider_than_regular() {
        assert!(
            text_width("Hip internal rotation", 10.0, Weight::Bold)
                > text_width("Hip internal rotation", 10.0, Weight::Regular)
        );
        assert!(text_width("°±×–", 10.0, Weight::Regular) > 10.0, "the symbols the handout uses are in the font");
    }
}
