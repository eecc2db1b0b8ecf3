//! The advisor of the synthetic shop: a question per facet, a budget, a multiple choice, a soft
//! preference and next steps, so a benchmark conversation exercises every kind of answer and what
//! follows a shortlist.

use std::fmt::Write;

use super::FACETS;

fn values(facet: &str) -> &'static [&'static str] {
    FACETS
        .iter()
        .find(|f| f.name == facet)
        .map(|f| f.values)
        .unwrap_or_default()
}

fn id_of(value: &str) -> String {
    value.to_lowercase().replace(' ', "_")
}

/// A single-choice question with one filter option per facet value and "doesn't matter".
fn facet_question(out: &mut String, facet: &str, en: &str, de: &str, priority: i32) {
    let _ = writeln!(
        out,
        "  - id: {facet}\n    priority: {priority}\n    text: {{en: \"{en}\", de: \"{de}\"}}\n    options:"
    );
    for value in values(facet) {
        let _ = writeln!(
            out,
            "      - id: {}\n        label: {{en: \"{value}\", de: \"{value}\"}}\n        filter: {{{facet}: [\"{value}\"]}}",
            id_of(value)
        );
    }
    any(out);
}

fn any(out: &mut String) {
    out.push_str(
        "      - id: any\n        label: {en: \"Doesn't matter\", de: Egal}\n        no_preference: true\n",
    );
}

pub(super) fn question_file() -> String {
    let mut out = String::from(
        "# The advisor of the synthetic shop written by `advisor gen-catalog`.\n\
         title: {en: Find your outdoor kit, de: Finde deine Outdoor-Ausrüstung}\n\
         locales: [en, de]\n\
         noun:\n  en: {one: product, other: products}\n  de: {one: Produkt, other: Produkte}\n\
         stop:\n  max_candidates: 10\n  max_questions: 7\n\
         shortlist:\n  size: 5\n  diversity:\n    fields: [material, color, price]\n    weight: 0.3\n\
         critiques:\n\
         \x20 - id: cheaper\n    label: {en: Cheaper, de: Günstiger}\n    number: price\n    direction: lower\n\
         \x20 - id: better_rated\n    label: {en: Better rated, de: Besser bewertet}\n    number: rating\n    direction: higher\n\
         \x20 - id: warmer\n    label: {en: Warmer, de: Wärmer}\n    filter: {features: [Insulated]}\n\
         questions:\n",
    );
    facet_question(
        &mut out,
        "category",
        "What are you looking for?",
        "Was suchst du?",
        2,
    );
    out.push_str(
        "  - id: who\n    priority: 1\n    text: {en: Who is it for?, de: Für wen ist es?}\n    options:\n\
         \x20     - id: women\n        label: {en: Women, de: Damen}\n        filter: {gender: [Women, Unisex]}\n\
         \x20     - id: men\n        label: {en: Men, de: Herren}\n        filter: {gender: [Men, Unisex]}\n\
         \x20     - id: kids\n        label: {en: Kids, de: Kinder}\n        filter: {gender: [Kids]}\n",
    );
    any(&mut out);
    facet_question(
        &mut out,
        "activity",
        "What will you do in it?",
        "Wofür brauchst du es?",
        0,
    );
    facet_question(
        &mut out,
        "season",
        "When will you use it most?",
        "Wann nutzt du es am meisten?",
        0,
    );
    out.push_str(
        "  - id: protection\n    kind: multiple\n    text: {en: What should it protect you from?, de: Wovor soll es schützen?}\n    options:\n\
         \x20     - id: rain\n        label: {en: Rain, de: Regen}\n        filter: {features: [Waterproof]}\n\
         \x20     - id: wind\n        label: {en: Wind, de: Wind}\n        filter: {features: [Windproof]}\n\
         \x20     - id: cold\n        label: {en: Cold, de: Kälte}\n        filter: {features: [Insulated]}\n\
         \x20     - id: light\n        label: {en: Nothing special, de: Nichts Besonderes}\n        prefer: {features: [Packable, Breathable]}\n\
         \x20 - id: budget\n    text: {en: How much would you like to spend?, de: Wie viel möchtest du ausgeben?}\n    options:\n\
         \x20     - id: under_30\n        label: {en: Under 30 €, de: Unter 30 €}\n        range: {field: price, max: 30}\n\
         \x20     - id: from_30_to_60\n        label: {en: 30 to 60 €, de: 30 bis 60 €}\n        range: {field: price, min: 30, max: 60}\n\
         \x20     - id: from_60_to_120\n        label: {en: 60 to 120 €, de: 60 bis 120 €}\n        range: {field: price, min: 60, max: 120}\n\
         \x20     - id: over_120\n        label: {en: 120 € or more, de: 120 € oder mehr}\n        range: {field: price, min: 120}\n",
    );
    any(&mut out);
    facet_question(&mut out, "color", "Which colour?", "Welche Farbe?", -1);
    out.push_str(
        "  - id: material\n    priority: -2\n    text: {en: Any favourite material?, de: Ein Lieblingsmaterial?}\n    options:\n\
         \x20     - id: natural\n        label: {en: Natural fibres, de: Naturfasern}\n        prefer: {material: [Merino, Cotton, Hemp, Down]}\n        weight: 2\n\
         \x20     - id: synthetic\n        label: {en: Synthetic, de: Kunstfaser}\n        prefer: {material: [Polyester, Nylon, Softshell]}\n",
    );
    any(&mut out);
    out.push_str(NEXT_STEPS);
    out
}

/// Two next steps, so a benchmark shortlist also picks a step and its products: socks for shoes
/// (more relevant when hiking), and small accessories for whoever the customer shops for.
const NEXT_STEPS: &str = "next_steps:\n\
\x20 - id: socks\n    priority: 3\n    when:\n      answers: {category: [shoes]}\n\
\x20   relevance:\n      - answers: {activity: [hiking]}\n        weight: 2\n\
\x20   text: {en: Socks that go with your new shoes?, de: Socken zu deinen neuen Schuhen?}\n\
\x20   kind: products\n    filter: {category: [Socks]}\n    follow: [who]\n    sort_by: rating\n    show: 3\n\
\x20 - id: accessories\n    text: {en: A hat or gloves to go with it?, de: Eine Mütze oder Handschuhe dazu?}\n\
\x20   kind: products\n    filter: {category: [Hats, Gloves]}\n    follow: [who]\n    sort_by: rating\n    show: 3\n";
