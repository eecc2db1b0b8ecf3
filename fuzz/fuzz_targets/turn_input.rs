//! Arbitrary bytes as a conversation on a shipped advisor: the first byte picks the advisor and
//! the locale, every following line is the JSON body of one `POST /v1/conversations/{id}/turns`,
//! read by `advisor::http::read_turn` (the route's wire types), stepped with `dialogue::step`,
//! rendered with `render::compose` and serialized as the route answers. The state must also
//! survive the store's JSON round trip unchanged.

#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use advisor::dialogue::{Outcome, State, StepError, start, step};
use advisor::http::ReplyDto;
use advisor::ids::ConversationId;
use advisor::questions::Advisor;
use advisor::shop::{Paths, Shop};
use libfuzzer_sys::fuzz_target;

/// At most this many turns per input: longer conversations add time, not paths.
const MAX_TURNS: usize = 24;

fn shop() -> &'static Shop {
    static SHOP: OnceLock<Shop> = OnceLock::new();
    SHOP.get_or_init(|| {
        let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
        let paths = Paths {
            catalog: repo.join("catalog"),
            questions: repo.join("questions"),
            templates: repo.join("templates"),
        };
        let (shop, problems) = Shop::load(&paths);
        shop.unwrap_or_else(|| panic!("{}", problems.render()))
    })
}

fn render(shop: &Shop, advisor: &Advisor, outcome: &Outcome) {
    let reply = advisor::render::compose(advisor, &shop.catalog, &shop.renderer, outcome)
        .unwrap_or_else(|error| panic!("render: {error}"));
    let id = ConversationId::parse("0123456789abcdef0123456789abcdef").expect("id");
    serde_json::to_vec(&ReplyDto::new(&id, advisor, reply)).expect("serialize the reply");
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, bodies)) = data.split_first() else {
        return;
    };
    let shop = shop();
    let advisor = &shop.advisors[usize::from(choice) % shop.advisors.len()];
    let locale = &advisor.locales[usize::from(choice) / 8 % advisor.locales.len()];
    let mut outcome = start(advisor, &shop.catalog, locale.clone(), None).expect("start");
    render(shop, advisor, &outcome);
    for body in bodies.split(|b| *b == b'\n').take(MAX_TURNS) {
        let Ok((input, _expected_turn)) = advisor::http::read_turn(body) else {
            continue;
        };
        match step(advisor, &shop.catalog, &outcome.state, input) {
            Ok(next) => {
                render(shop, advisor, &next);
                let stored = serde_json::to_string(&next.state).expect("serialize the state");
                let loaded: State = serde_json::from_str(&stored).expect("read the state back");
                assert_eq!(loaded, next.state, "the state changes in the store");
                outcome = next;
            }
            Err(StepError::Rejected(_)) => {}
            Err(StepError::Index(error)) => panic!("index error: {error}"),
        }
    }
});
