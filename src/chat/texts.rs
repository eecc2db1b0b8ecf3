//! The tool's own words: prompts, hints and the command help, per locale. Everything the
//! customer would read comes from the templates and question files; these few strings only frame
//! them for the editor at the terminal.

use crate::ids::Locale;

/// The terminal's strings in one language. `{}` placeholders are filled in order.
pub struct Texts {
    /// Under a multiple-choice question.
    pub pick_several: &'static str,
    /// Heading of the repairs in a dead end (numbers pick them).
    pub pick_repair: &'static str,
    /// Label of the product-level commands (`similar N`, `exclude N`).
    pub product_commands: &'static str,
    /// Before what a close alternative misses.
    pub misses: &'static str,
    /// Before the next step proposed after the shortlist.
    pub next: &'static str,
    /// The decimal separator of prices.
    pub decimal: char,
    /// A number that is not on the list: the number, the highest number.
    pub out_of_range: &'static str,
    /// Several numbers where only one can be picked (a repair).
    pub one_number: &'static str,
    /// Numbers where there is nothing to pick.
    pub nothing_to_pick: &'static str,
    /// A command for an action the reply does not offer: the command.
    pub not_offered: &'static str,
    /// The step refused the input: its reason.
    pub refused: &'static str,
    /// `change N` when there is no answer N.
    pub no_such_answer: &'static str,
    /// Heading of `answers`.
    pub answers: &'static str,
    /// `answers` before any answer.
    pub no_answers: &'static str,
    /// Shown once at the start.
    pub intro: &'static str,
    /// The command help, one command per line.
    pub help: &'static str,
    /// Asking which advisor to try.
    pub choose_advisor: &'static str,
    /// An answer to `choose_advisor` that names none: what was typed.
    pub no_such_advisor: &'static str,
}

/// The strings for a locale; English for locales without their own.
pub fn texts(locale: &Locale) -> &'static Texts {
    match locale.as_str() {
        "de" => &DE,
        _ => &EN,
    }
}

/// Fills the `{}` placeholders of a text in order.
pub fn fill(text: &str, values: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut values = values.iter();
    let mut rest = text;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(value) = values.next() {
            out.push_str(&value.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// English, also for locales without their own strings.
pub static EN: Texts = Texts {
    pick_several: "Pick one or several, e.g. \"1 3\" or \"1,3\".",
    pick_repair: "Type a number to drop these wishes:",
    product_commands: "per product",
    misses: "misses",
    next: "Next",
    decimal: '.',
    out_of_range: "There is no number {}: pick from 1 to {}.",
    one_number: "Pick one number.",
    nothing_to_pick: "There is nothing to pick by number now. Type ? for the commands.",
    not_offered: "`{}` is not on offer now. Type ? for the commands.",
    refused: "Not accepted: {}",
    no_such_answer: "There is no answer {}. Type a to list the answers.",
    answers: "Your answers:",
    no_answers: "No answers yet.",
    intro: "Type ? for the commands, q to quit.",
    help: "\
  1          answer with option 1
  1 3, 1,3   several options (multiple choice)
  s, skip    skip the question
  b, back    undo the last input
  r, restart start over
  a          list the answers so far
  c N        change answer N
  cheaper 2  a refinement offered after the shortlist (its id or label), for product 2
  similar N  more like product N
  exclude N  never show product N again
  h, handoff talk to a person (when the advisor has a contact)
  ?, help    this help
  q, quit    end (so does end of input)
  anything else is sent as free text",
    choose_advisor: "Which advisor? Type its number or id.",
    no_such_advisor: "There is no advisor `{}`.",
};

static DE: Texts = Texts {
    pick_several: "Eine oder mehrere wählen, z. B. „1 3“ oder „1,3“.",
    pick_repair: "Eine Zahl eingeben, um diese Wünsche wegzulassen:",
    product_commands: "pro Produkt",
    misses: "fehlt",
    next: "Als Nächstes",
    decimal: ',',
    out_of_range: "Die Nummer {} gibt es nicht: 1 bis {} wählen.",
    one_number: "Bitte nur eine Zahl wählen.",
    nothing_to_pick: "Gerade gibt es nichts per Nummer zu wählen. ? zeigt die Befehle.",
    not_offered: "`{}` wird gerade nicht angeboten. ? zeigt die Befehle.",
    refused: "Nicht angenommen: {}",
    no_such_answer: "Die Antwort {} gibt es nicht. a zeigt die Antworten.",
    answers: "Deine Antworten:",
    no_answers: "Noch keine Antworten.",
    intro: "? zeigt die Befehle, q beendet.",
    help: "\
  1          mit Option 1 antworten
  1 3, 1,3   mehrere Optionen (Mehrfachauswahl)
  s, skip    Frage überspringen
  b, back    letzte Eingabe rückgängig machen
  r, restart neu starten
  a          bisherige Antworten zeigen
  c N        Antwort N ändern
  cheaper 2  eine Verfeinerung nach der Auswahl (Id oder Bezeichnung), für Produkt 2
  similar N  mehr wie Produkt N
  exclude N  Produkt N nicht mehr zeigen
  h, handoff mit einer Person sprechen (wenn der Berater einen Kontakt hat)
  ?, help    diese Hilfe
  q, quit    beenden (ebenso das Ende der Eingabe)
  alles andere geht als freier Text an den Berater",
    choose_advisor: "Welcher Berater? Nummer oder Id eingeben.",
    no_such_advisor: "Einen Berater `{}` gibt es nicht.",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_in_order() {
        assert_eq!(
            fill(EN.out_of_range, &[&7, &3]),
            "There is no number 7: pick from 1 to 3."
        );
        assert_eq!(fill("no placeholder", &[&1]), "no placeholder");
    }

    #[test]
    fn german_conversations_get_german_help_and_others_english() {
        let de = Locale::parse("de-AT").expect("locale");
        assert!(texts(&de).help.contains("überspringen"));
        let fr = Locale::parse("fr").expect("locale");
        assert!(texts(&fr).help.contains("skip the question"));
    }
}
