//! The handoff to a person in a reply: the contact once the conversation is handed off, the
//! offer after the customer got stuck repeatedly, and the "talk to a person" button.

use super::reply::{ActionView, Message};
use super::{ActionLabelView, HandedOffView, HandoffOfferView, RenderError, TemplateName, Voice};
use crate::dialogue::{Action, Notice, Outcome};
use crate::questions::{Advisor, Handoff};

/// The message saying how the customer will be helped, in the conversation's locale.
pub(super) fn handed_off_message(
    advisor: &Advisor,
    renderer: &Voice<'_>,
    outcome: &Outcome,
) -> Result<Option<Message>, RenderError> {
    let Some(handoff) = &advisor.handoff else {
        return Ok(None);
    };
    let locale = &outcome.state.locale;
    let view = HandedOffView::new(advisor, handoff, outcome);
    let text = renderer.render(locale, TemplateName::HandedOff, &view)?;
    Ok(Some(Message::Text(text)))
}

/// The offer of a person when the step said it is due, and the handoff button whenever the
/// advisor has a contact and the conversation is not handed off yet.
pub(super) fn offer(
    advisor: &Advisor,
    renderer: &Voice<'_>,
    outcome: &Outcome,
    messages: &mut Vec<Message>,
    actions: &mut Vec<ActionView>,
) -> Result<(), RenderError> {
    if advisor.handoff.is_none() || outcome.state.handoff.handed_off {
        return Ok(());
    }
    let locale = &outcome.state.locale;
    if outcome.notices.contains(&Notice::HandoffOffered) {
        let view = HandoffOfferView {
            customer_name: outcome.state.customer_name.clone(),
        };
        let text = renderer.render(locale, TemplateName::HandoffOffer, &view)?;
        messages.push(Message::Text(text));
    }
    actions.push(ActionView {
        action: Action::Handoff,
        label: renderer.render(locale, TemplateName::ActionHandoff, &ActionLabelView {})?,
        count: None,
    });
    Ok(())
}

impl HandedOffView {
    fn new(advisor: &Advisor, handoff: &Handoff, outcome: &Outcome) -> Self {
        let locale = &outcome.state.locale;
        Self {
            advisor_title: advisor.title.get(locale).to_string(),
            customer_name: outcome.state.customer_name.clone(),
            url: handoff.url.clone(),
            phone: handoff.phone.clone(),
            email: handoff.email.clone(),
            hours: handoff.hours.as_ref().map(|h| h.get(locale).to_string()),
        }
    }
}
