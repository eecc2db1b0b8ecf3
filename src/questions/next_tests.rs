//! The checks of `next_steps:`: every problem reported at its line, with a hint.

use std::path::Path;

use crate::catalog::Catalog;

/// (line, message, hint) of every problem of a two-locale advisor with this `next_steps:`
/// section, as if it were `questions/t.yaml` (so `advisor: sportswear` finds its sibling).
fn problems(next_steps: &str) -> Vec<(u64, String, String)> {
    let catalog = Catalog::load(Path::new("catalog")).expect("the shipped catalogue loads");
    let text = format!(
        "title: {{en: Jackets, de: Jacken}}\nlocales: [en, de]\nnoun: {{en: {{one: jacket, other: jackets}}, de: {{one: Jacke, other: Jacken}}}}\nscope: {{category: [Men/Tops/Jackets, Women/Tops/Jackets]}}\nquestions:\n  - id: who\n    text: {{en: Who?, de: Wer?}}\n    options:\n      - {{id: women, label: {{en: Women, de: Frauen}}, filter: {{gender: [Women]}}}}\n      - {{id: men, label: {{en: Men, de: Männer}}, filter: {{gender: [Men]}}}}\nnext_steps:\n{next_steps}"
    );
    let file = Path::new("questions/t.yaml");
    let found = match crate::questions::check_source(file, &text, &catalog) {
        Ok((_, warnings)) => warnings,
        Err(problems) => problems,
    };
    found
        .iter()
        .map(|d| {
            let hint = d.hint.clone().unwrap_or_default();
            (d.line.unwrap_or(0), d.message.clone(), hint)
        })
        .collect()
}

const TEXT: &str = "    text: {en: See these, de: Schau mal}\n";

#[test]
fn a_complete_section_is_clean() {
    let found = problems(&format!(
        "  - id: pants\n    priority: 3\n    when: {{answers: {{who: [women]}}, shortlist: {{climate: [Rainy]}}, min_price: 50}}\n    relevance:\n      - {{answers: {{who: [women]}}, weight: 2}}\n{TEXT}    why: {{en: because, de: weil}}\n    kind: products\n    filter: {{garment: [Bottom]}}\n    follow: [who]\n    sort_by: rating\n    show: 2\n  - id: more\n{TEXT}    kind: advisor\n    advisor: sportswear\n  - id: guide\n{TEXT}    kind: link\n    url: https://shop.example/size-guide\n"
    ));
    assert_eq!(found, []);
}

#[test]
fn every_problem_is_reported_at_its_line_with_a_hint() {
    let found = problems(&format!(
        "  - id: pants\n    priority: 300\n    when: {{answers: {{who: [woman]}}}}\n    text: {{en: See these}}\n    kind: products\n    filter: {{garmnet: [Bottom]}}\n    url: https://shop.example\n  - id: pants\n{TEXT}    kind: link\n    url: http://shop.example\n  - id: person\n{TEXT}    kind: handoff\n  - id: other\n{TEXT}    kind: advisor\n    advisor: shoes\n"
    ));
    let lines: Vec<(u64, &str)> = found.iter().map(|(l, m, _)| (*l, m.as_str())).collect();
    assert_eq!(
        lines,
        [
            (13, "`priority` must be a whole number from 0 to 100"),
            (14, "question `who` has no option `woman`"),
            (15, "the next step's text has no translation for `de`"),
            (18, "`url` only goes with `kind: link`"),
            (17, "unknown facet `garmnet`"),
            (19, "next step id `pants` is used twice"),
            (22, "`http://shop.example` is not a link a widget may open"),
            (
                25,
                "a `handoff` step needs the advisor's `handoff:` contact"
            ),
            (29, "no advisor `shoes` next to this file"),
        ]
    );
    let hint = |line: u64| &found.iter().find(|(l, _, _)| *l == line).expect("line").2;
    assert!(hint(14).contains("did you mean `women`?"), "{}", hint(14));
    assert!(hint(17).contains("did you mean `garment`?"), "{}", hint(17));
}
