//! Customer-facing text: one handlebars registry built at startup from `templates/<locale>/*.hbs`
//! in strict mode with HTML escaping, typed view models, and the composition of a reply from a
//! dialogue outcome.
//!
//! Every template is rendered once against sample data when it is loaded, so a typo fails at
//! startup or in `advisor check`, never in front of a customer.

mod cards;
mod handoff;
mod next;
mod notices;
mod pairings;
mod reply;
mod views;

use crate::questions::Address;
use std::path::{Path, PathBuf};

use handlebars::{Handlebars, handlebars_helper};
use serde::Serialize;

pub use next::{NextStepView, NextStepWhyView};
pub use pairings::PairedCard;
pub use reply::{
    ActionView, AnswerView, InputView, Message, OptionView, ProductCard, Reply, compose,
};
pub use views::*;

use crate::diagnostics::{Diagnostic, Diagnostics, closest, known_list};
use crate::ids::Locale;

/// Errors while rendering. After the startup checks they mean a bug.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// handlebars failed on a template that passed the startup check.
    #[error("template `{name}`: {source}")]
    Template {
        name: String,
        #[source]
        source: Box<handlebars::RenderError>,
    },
}

/// The templates every locale must have, and what each is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateName {
    Greeting,
    Question,
    Shortlist,
    NoMatch,
    NothingFound,
    WentBack,
    Restarted,
    ActionBack,
    ActionRestart,
    Understood,
    NotUnderstood,
    Skipped,
    Changing,
    Dropped,
    DeadEnd,
    Relaxed,
    Critiqued,
    Excluded,
    SimilarTo,
    Alternatives,
    ActionSkip,
    ActionRelax,
    ActionCritique,
    ActionSimilar,
    ActionExclude,
    HandedOff,
    HandoffOffer,
    ActionHandoff,
    ContextApplied,
    NextStep,
    GoesWellWith,
    Amount,
    Clarify,
    NotCarried,
    BelowCheapest,
    AmountConflict,
    Updated,
}

impl TemplateName {
    pub const ALL: [TemplateName; 37] = [
        TemplateName::Greeting,
        TemplateName::Question,
        TemplateName::Shortlist,
        TemplateName::NoMatch,
        TemplateName::NothingFound,
        TemplateName::WentBack,
        TemplateName::Restarted,
        TemplateName::ActionBack,
        TemplateName::ActionRestart,
        TemplateName::Understood,
        TemplateName::NotUnderstood,
        TemplateName::Skipped,
        TemplateName::Changing,
        TemplateName::Dropped,
        TemplateName::DeadEnd,
        TemplateName::Relaxed,
        TemplateName::Critiqued,
        TemplateName::Excluded,
        TemplateName::SimilarTo,
        TemplateName::Alternatives,
        TemplateName::ActionSkip,
        TemplateName::ActionRelax,
        TemplateName::ActionCritique,
        TemplateName::ActionSimilar,
        TemplateName::ActionExclude,
        TemplateName::HandedOff,
        TemplateName::HandoffOffer,
        TemplateName::ActionHandoff,
        TemplateName::ContextApplied,
        TemplateName::NextStep,
        TemplateName::GoesWellWith,
        TemplateName::Amount,
        TemplateName::Clarify,
        TemplateName::NotCarried,
        TemplateName::BelowCheapest,
        TemplateName::AmountConflict,
        TemplateName::Updated,
    ];

    pub fn file_stem(self) -> &'static str {
        match self {
            TemplateName::Greeting => "greeting",
            TemplateName::Question => "question",
            TemplateName::Shortlist => "shortlist",
            TemplateName::NoMatch => "no_match",
            TemplateName::NothingFound => "nothing_found",
            TemplateName::WentBack => "went_back",
            TemplateName::Restarted => "restarted",
            TemplateName::ActionBack => "action_back",
            TemplateName::ActionRestart => "action_restart",
            TemplateName::Understood => "understood",
            TemplateName::NotUnderstood => "not_understood",
            TemplateName::Skipped => "skipped",
            TemplateName::Changing => "changing",
            TemplateName::Dropped => "dropped",
            TemplateName::DeadEnd => "dead_end",
            TemplateName::Relaxed => "relaxed",
            TemplateName::Critiqued => "critiqued",
            TemplateName::Excluded => "excluded",
            TemplateName::SimilarTo => "similar_to",
            TemplateName::Alternatives => "alternatives",
            TemplateName::ActionSkip => "action_skip",
            TemplateName::ActionRelax => "action_relax",
            TemplateName::ActionCritique => "action_critique",
            TemplateName::ActionSimilar => "action_similar",
            TemplateName::ActionExclude => "action_exclude",
            TemplateName::HandedOff => "handed_off",
            TemplateName::HandoffOffer => "handoff_offer",
            TemplateName::ActionHandoff => "action_handoff",
            TemplateName::GoesWellWith => "goes_well_with",
            TemplateName::ContextApplied => "context_applied",
            TemplateName::NextStep => "next_step",
            TemplateName::Amount => "amount",
            TemplateName::Clarify => "clarify",
            TemplateName::NotCarried => "not_carried",
            TemplateName::BelowCheapest => "below_cheapest",
            TemplateName::AmountConflict => "amount_conflict",
            TemplateName::Updated => "updated",
        }
    }
}

/// The loaded, checked templates.
pub struct Renderer {
    registry: Handlebars<'static>,
}

/// The renderer for one advisor's address ("Sie" or "du").
pub struct Voice<'a> {
    renderer: &'a Renderer,
    formal: bool,
}

impl Voice<'_> {
    /// Renders a template for a locale; the text is HTML-escaped and trimmed.
    pub fn render<T: Serialize>(
        &self,
        locale: &Locale,
        name: TemplateName,
        view: &T,
    ) -> Result<String, RenderError> {
        self.renderer.render(locale, name, view, self.formal)
    }
}

/// A view with the voice's variable beside its own.
#[derive(Serialize)]
struct Voiced<'a, T> {
    #[serde(flatten)]
    view: &'a T,
    /// Address the customer formally ("Sie").
    formal: bool,
}

impl Renderer {
    /// Loads `<folder>/<locale>/*.hbs` for every required locale and renders each template once
    /// against sample data. Returns every problem found.
    pub fn load(folder: &Path, locales: &[Locale]) -> Result<Self, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut registry = Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_helper("plural", Box::new(plural));
        registry.register_helper("join", Box::new(join));
        let stems: Vec<&str> = TemplateName::ALL.iter().map(|t| t.file_stem()).collect();
        for locale in locales {
            let dir = folder.join(locale.as_str());
            for file in template_files(&dir) {
                let stem = file
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                if !stems.contains(&stem) {
                    let mut hint = format!(
                        "templates the advisor uses: {}",
                        known_list(stems.iter().copied())
                    );
                    if let Some(near) = closest(stem, stems.iter().copied()) {
                        hint = format!("did you mean `{near}.hbs`? {hint}");
                    }
                    problems
                        .push(Diagnostic::warning(&file, "this template is not used").hint(hint));
                }
            }
            for name in TemplateName::ALL {
                let file = dir.join(format!("{}.hbs", name.file_stem()));
                match std::fs::read_to_string(&file) {
                    Ok(text) => {
                        if let Err(error) = registry.register_template_string(&key(locale, name), text) {
                            let (line, column) = error.pos().unwrap_or((0, 0));
                            problems.push(
                                Diagnostic::error(&file, format!("template syntax: {}", error.reason()))
                                    .at(line as u64, column as u64)
                                    .hint("check that every `{{#…}}` has its `{{/…}}` and braces are balanced"),
                            );
                        }
                    }
                    Err(_) => problems.push(
                        Diagnostic::error(&file, format!("missing template for locale `{locale}`"))
                            .hint("every locale of every advisor needs all templates; templates/README.md lists them"),
                    ),
                }
            }
        }
        let renderer = Self { registry };
        if !problems.has_errors() {
            for locale in locales {
                for name in TemplateName::ALL {
                    if let Err(RenderError::Template { source, .. }) =
                        renderer.render_sample(locale, name)
                    {
                        let file = folder
                            .join(locale.as_str())
                            .join(format!("{}.hbs", name.file_stem()));
                        problems.push(
                            Diagnostic::error(
                                &file,
                                format!("template does not render: {}", source.reason()),
                            )
                            .at(
                                source.line_no.unwrap_or(0) as u64,
                                source.column_no.unwrap_or(0) as u64,
                            )
                            .hint("templates/README.md lists the variables each template can use"),
                        );
                    }
                }
            }
        }
        if problems.has_errors() {
            Err(problems)
        } else {
            Ok(renderer)
        }
    }

    /// The templates as they speak for an advisor: formally or not (`formal` in every
    /// template's variables).
    pub fn voice(&self, address: Address) -> Voice<'_> {
        Voice {
            renderer: self,
            formal: address == Address::Formal,
        }
    }

    /// Renders a template for a locale; the text is HTML-escaped and trimmed.
    fn render<T: Serialize>(
        &self,
        locale: &Locale,
        name: TemplateName,
        view: &T,
        formal: bool,
    ) -> Result<String, RenderError> {
        let key = key(locale, name);
        self.registry
            .render(&key, &Voiced { view, formal })
            .map(|text| text.trim().to_string())
            .map_err(|source| RenderError::Template {
                name: key,
                source: Box::new(source),
            })
    }

    /// Renders a template against its sample view, in both voices.
    fn render_sample(&self, locale: &Locale, name: TemplateName) -> Result<String, RenderError> {
        self.render_sample_as(&self.voice(Address::Formal), locale, name)?;
        self.render_sample_as(&self.voice(Address::Informal), locale, name)
    }

    fn render_sample_as(
        &self,
        voice: &Voice<'_>,
        locale: &Locale,
        name: TemplateName,
    ) -> Result<String, RenderError> {
        use TemplateName as T;
        match name {
            T::Greeting => voice.render(locale, name, &GreetingView::sample()),
            T::Question => voice.render(locale, name, &QuestionView::sample()),
            T::Shortlist => voice.render(locale, name, &ShortlistView::sample()),
            T::NoMatch => voice.render(locale, name, &NoMatchView::sample()),
            T::NothingFound => voice.render(locale, name, &NothingFoundView::sample()),
            T::WentBack | T::Skipped | T::Changing | T::NotUnderstood => {
                voice.render(locale, name, &QuestionRefView::sample())
            }
            T::Restarted => voice.render(locale, name, &RestartedView::sample()),
            T::Understood => voice.render(locale, name, &UnderstoodView::sample()),
            T::Dropped => voice.render(locale, name, &DroppedView::sample()),
            T::DeadEnd => voice.render(locale, name, &DeadEndView::sample()),
            T::Relaxed => voice.render(locale, name, &RelaxedView::sample()),
            T::Critiqued => voice.render(locale, name, &CritiquedView::sample()),
            T::Excluded | T::SimilarTo => voice.render(locale, name, &ProductRefView::sample()),
            T::Alternatives => voice.render(locale, name, &AlternativesView::sample()),
            T::ActionRelax => voice.render(locale, name, &RelaxActionView::sample()),
            T::HandedOff => voice.render(locale, name, &HandedOffView::sample()),
            T::HandoffOffer => voice.render(locale, name, &HandoffOfferView::sample()),
            T::ActionCritique => voice.render(locale, name, &CritiqueActionView::sample()),
            T::Amount => render_each(voice, locale, name, &AmountView::samples()),
            T::NotCarried => render_each(voice, locale, name, &NotCarriedView::samples()),
            T::Clarify => voice.render(locale, name, &ClarifyView::sample()),
            T::BelowCheapest => voice.render(locale, name, &BelowCheapestView::sample()),
            T::AmountConflict => voice.render(locale, name, &AmountConflictView {}),
            T::Updated => voice.render(locale, name, &UpdatedView::sample()),
            T::GoesWellWith => render_each(voice, locale, name, &GoesWellWithView::samples()),
            T::ContextApplied => voice.render(locale, name, &ContextAppliedView::sample()),
            T::NextStep => voice.render(locale, name, &NextStepWhyView::sample()),
            T::ActionBack
            | T::ActionRestart
            | T::ActionSkip
            | T::ActionSimilar
            | T::ActionExclude
            | T::ActionHandoff => voice.render(locale, name, &ActionLabelView {}),
        }
    }
}

/// Renders a template against several samples (each branch it has), joined by line.
fn render_each<T: Serialize>(
    voice: &Voice<'_>,
    locale: &Locale,
    name: TemplateName,
    samples: &[T],
) -> Result<String, RenderError> {
    samples
        .iter()
        .map(|sample| voice.render(locale, name, sample))
        .collect::<Result<Vec<_>, _>>()
        .map(|texts| texts.join("\n"))
}

fn key(locale: &Locale, name: TemplateName) -> String {
    format!("{locale}/{}", name.file_stem())
}

/// The `*.hbs` files of one locale folder, in name order.
pub(crate) fn template_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "hbs"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

handlebars_helper!(plural: |count: u64, one: str, other: str| if count == 1 { one.to_string() } else { other.to_string() });
handlebars_helper!(join: |items: array, separator: str| items
    .iter()
    .map(|item| item.as_str().map_or_else(|| item.to_string(), str::to_string))
    .collect::<Vec<_>>()
    .join(separator));
