//! Whole conversations over HTTP, for every shipped advisor in both languages.

use serde_json::{Value, json};

use crate::helpers::{TestApp, action_names, products, texts};

#[tokio::test]
async fn lists_every_advisor_with_its_locales() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/v1/advisors").await;
    assert_eq!(status, 200);
    let advisors = body["advisors"].as_array().expect("list");
    let ids: Vec<&str> = advisors.iter().filter_map(|a| a["id"].as_str()).collect();
    assert!(ids.contains(&"jackets"), "{ids:?}");
    assert!(
        advisors.len() >= 3,
        "the demo ships at least three advisors: {ids:?}"
    );
    for advisor in advisors {
        assert_eq!(advisor["locales"], json!(["en", "de"]), "{advisor}");
    }
}

#[tokio::test]
async fn every_advisor_leads_to_an_explained_shortlist_in_english_and_german() {
    let app = TestApp::spawn().await;
    let (_, body) = app.get("/v1/advisors").await;
    for advisor in body["advisors"].as_array().expect("list") {
        let id = advisor["id"].as_str().expect("id");
        for locale in ["en", "de"] {
            let mut reply = app.start(id, locale).await;
            assert_eq!(reply["locale"], locale);
            assert_eq!(reply["turn"], 0);
            let mut turns = 0;
            while reply["state"] == "awaiting_input" {
                let before = reply["candidate_count"].as_u64().expect("count");
                for option in reply["input"]["options"].as_array().expect("options") {
                    let count = option["count"].as_u64().expect("count");
                    assert!(
                        count > 0 && count <= before,
                        "live counts are within the candidates: {option}"
                    );
                }
                reply = app.answer_first(&reply).await;
                turns += 1;
                assert!(turns < 20, "{id}/{locale} never ends");
            }
            assert_eq!(reply["state"], "completed", "{reply}");
            assert!(reply["input"].is_null());
            let items = products(&reply);
            assert!(!items.is_empty(), "{id}/{locale}: {reply}");
            assert!(
                items
                    .iter()
                    .any(|p| !p["reasons"].as_array().expect("reasons").is_empty()),
                "{reply}"
            );
            for item in &items {
                assert!(
                    item["title"].is_string() && item["url"].is_string(),
                    "{item}"
                );
                assert_eq!(item["price"]["currency"], "USD");
            }
            let names = action_names(&reply);
            // The shipped advisors have a contact: a person is always on offer, last.
            assert!(
                names.ends_with(&["back".into(), "restart".into(), "handoff".into()]),
                "{names:?}"
            );
            // Every action carries the input to post back.
            for action in reply["actions"].as_array().expect("actions") {
                assert_eq!(action["input"]["type"], "action");
                assert_eq!(action["input"]["name"], action["name"]);
            }
        }
    }
}

#[tokio::test]
async fn a_german_jacket_conversation_speaks_german_and_greets_by_name() {
    let app = TestApp::spawn().await;
    let (status, reply) = app
        .post(
            "/v1/conversations",
            &json!({"advisor": "jackets", "locale": "de", "customer": {"name": "Anna"}}),
        )
        .await;
    assert_eq!(status, 201);
    let first = texts(&reply);
    assert!(first[0].starts_with("Hallo Anna!"), "{first:?}");
    assert_eq!(
        first[1],
        "Wovor soll sie dich schützen? Wähle alles, was zutrifft."
    );
    let reply = app.answer_until(&reply, "who").await;
    let (_, reply) = app
        .turn(
            &reply,
            json!({"type": "answer", "question_id": "who", "values": ["women"]}),
        )
        .await;
    let left = reply["candidate_count"].as_u64().expect("count");
    assert!(left > 0 && left < 23, "{reply}");
    assert!(
        texts(&reply)[0].contains(&format!("noch {left} Jacke")),
        "{reply}"
    );
}

#[tokio::test]
async fn the_customer_name_is_html_escaped() {
    let app = TestApp::spawn().await;
    let (_, reply) = app
        .post(
            "/v1/conversations",
            &json!({"advisor": "jackets", "locale": "en", "customer": {"name": "<b>Bob</b>"}}),
        )
        .await;
    let greeting = &texts(&reply)[0];
    assert!(
        greeting.contains("&lt;b&gt;Bob&lt;/b&gt;") && !greeting.contains("<b>"),
        "{greeting}"
    );
}

#[tokio::test]
async fn locale_falls_back_to_accept_language_then_the_default() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(format!("{}/v1/conversations", app.base))
        .header("accept-language", "fr-CH, de;q=0.8, en;q=0.5")
        .json(&json!({"advisor": "jackets"}))
        .send()
        .await
        .expect("POST");
    let reply: serde_json::Value = response.json().await.expect("json");
    assert_eq!(reply["locale"], "de");
    let (_, reply) = app
        .post("/v1/conversations", &json!({"advisor": "jackets"}))
        .await;
    assert_eq!(reply["locale"], "en");
}

#[tokio::test]
async fn back_undoes_the_last_answer_and_restart_forgets_all() {
    let app = TestApp::spawn().await;
    let start = app.start("jackets", "en").await;
    let first_question = start["input"].clone();
    let one = app.answer_last(&start).await;
    let two = app.answer_last(&one).await;
    assert_eq!(two["answers"].as_array().map(Vec::len), Some(2));

    let (status, back) = app
        .turn(&two, json!({"type": "action", "name": "back"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        back["input"], one["input"],
        "back asks the previous question again"
    );
    assert_eq!(back["answers"], one["answers"]);
    assert_eq!(back["turn"], 3);

    let (status, restarted) = app
        .turn(&back, json!({"type": "action", "name": "restart"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(restarted["input"], first_question);
    assert_eq!(restarted["answers"], json!([]));
    assert_eq!(restarted["candidate_count"], start["candidate_count"]);
    assert_eq!(action_names(&restarted), ["skip", "handoff"]);
}

#[tokio::test]
async fn get_returns_the_current_reply_and_delete_forgets_the_conversation() {
    let app = TestApp::spawn().await;
    let start = app.start("jackets", "en").await;
    let one = app.answer_first(&start).await;
    let id = one["conversation_id"].as_str().expect("id");
    let (status, again) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(again["input"], one["input"]);
    assert_eq!(again["turn"], one["turn"]);

    let (status, _) = app.delete(&format!("/v1/conversations/{id}")).await;
    assert_eq!(status, 204);
    let (status, problem) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (404, Some("conversation_not_found"))
    );
}

/// `GET` is the last reply, byte for byte: the acknowledgement of the last input included, after
/// a skip, an answer, a typed text, a back and a restart.
#[tokio::test]
async fn get_shows_exactly_the_last_reply() {
    let app = TestApp::spawn().await;
    let mut reply = app.start("jackets", "en").await;
    let id = reply["conversation_id"].as_str().expect("id").to_string();
    let path = format!("/v1/conversations/{id}");
    let inputs = [
        Some(json!({"type": "action", "name": "skip"})),
        None,
        Some(json!({"type": "text", "text": "for a man"})),
        Some(json!({"type": "action", "name": "back"})),
        Some(json!({"type": "action", "name": "restart"})),
    ];
    for input in inputs {
        reply = match input {
            None => app.answer_first(&reply).await,
            Some(input) => {
                let (status, next) = app.turn(&reply, input.clone()).await;
                assert_eq!(status, 200, "{input}: {next}");
                next
            }
        };
        let (status, shown) = app.get(&path).await;
        assert_eq!(status, 200);
        assert_eq!(shown, reply, "GET after {:?}", texts(&reply));
    }
}

#[tokio::test]
async fn choices_that_leave_nothing_together_offer_repairs_with_counts() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    let reply = app.answer_until(&reply, "protection").await;
    let (status, dead_end) = app
        .turn(
            &reply,
            json!({"type": "answer", "question_id": "protection", "values": ["rain", "cold"]}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(dead_end["dead_end"], true, "{dead_end}");
    assert!(texts(&dead_end)[0].contains("Rain and Cold"), "{dead_end}");
    let repairs: Vec<&Value> = dead_end["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter(|a| a["name"] == "relax")
        .collect();
    assert!(!repairs.is_empty(), "{dead_end}");
    assert!(
        repairs[0]["label"]
            .as_str()
            .expect("label")
            .starts_with("Without ")
    );
    // Close alternatives say what they miss.
    let alternatives = products(&dead_end);
    assert!(!alternatives.is_empty());
    assert!(
        alternatives
            .iter()
            .all(|p| !p["misses"].as_array().expect("misses").is_empty())
    );
    // One tap brings the promised number of jackets back.
    let (status, repaired) = app.turn(&dead_end, repairs[0]["input"].clone()).await;
    assert_eq!(status, 200);
    assert_eq!(repaired["dead_end"], false);
    assert_eq!(repaired["candidate_count"], repairs[0]["count"]);
}

#[tokio::test]
async fn free_text_is_understood_in_german_and_english() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "de").await;
    let (status, understood) = app
        .turn(
            &reply,
            json!({"type": "text", "text": "Eine Regenjacke für Damen zum Wandern"}),
        )
        .await;
    assert_eq!(status, 200, "{understood}");
    assert!(
        texts(&understood)[0].starts_with("Verstanden: "),
        "{understood}"
    );
    let answered: Vec<&str> = understood["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|a| a["question_id"].as_str())
        .collect();
    for question in ["protection", "who", "where"] {
        assert!(answered.contains(&question), "{understood}");
    }
    let reply = app.start("jackets", "en").await;
    let (status, confused) = app
        .turn(&reply, json!({"type": "text", "text": "qwxyz"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(confused["turn"], 0, "nothing was recorded");
    assert_eq!(
        confused["input"], reply["input"],
        "the options are offered again"
    );
}

#[tokio::test]
async fn an_earlier_answer_can_be_changed_and_products_refined() {
    let app = TestApp::spawn().await;
    let reply = app.start_and_answer("jackets", &[("who", "men")]).await;
    let (status, changing) = app
        .turn(
            &reply,
            json!({"type": "action", "name": "change", "question_id": "who"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(changing["input"]["question_id"], "who");
    let (_, changed) = app
        .turn(
            &changing,
            json!({"type": "answer", "question_id": "who", "values": ["women"]}),
        )
        .await;
    let who: Vec<&Value> = changed["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter(|a| a["question_id"] == "who")
        .collect();
    assert_eq!(who[0]["values"], json!(["women"]));
    // Finish, then "not this one" on the first product.
    let mut reply = changed;
    while reply["state"] == "awaiting_input" {
        reply = app.answer_last(&reply).await;
    }
    let first = products(&reply)[0].clone();
    let exclude = first["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["name"] == "exclude")
        .expect("exclude is offered")
        .clone();
    let (status, refined) = app.turn(&reply, exclude["input"].clone()).await;
    assert_eq!(status, 200);
    assert!(products(&refined).iter().all(|p| p["id"] != first["id"]));
}

#[tokio::test]
async fn health_endpoints_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/livez").await.0, 200);
    let (status, ready) = app.get("/readyz").await;
    assert_eq!(status, 200);
    assert_eq!(ready["products"], 199);
}
