//! The load generator's own tests: answer choice, percentiles, and whole conversations
//! against the real server.

use super::*;

#[test]
fn answers_follow_product_counts_and_skip_options_without_products() {
    let choice = |value: &str, count| Choice {
        value: value.into(),
        count,
        no_preference: false,
    };
    let options = vec![choice("none", 0), choice("cheap", 3), choice("dear", 1)];
    let (question_id, kind) = ("budget".into(), "multiple".into());
    let question = Question {
        question_id,
        kind,
        options,
    };
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let (mut cheap_first, mut two) = (0, 0);
    for _ in 0..400 {
        let body = answer(&question, 3, &mut rng).expect("an answer");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(body["expected_turn"], 3);
        assert_eq!(body["input"]["question_id"], "budget");
        let values = body["input"]["values"].as_array().expect("values");
        assert!(!values.contains(&json!("none")), "{body}");
        cheap_first += usize::from(values[0] == "cheap");
        two += usize::from(values.len() == 2);
    }
    assert!(
        (250..350).contains(&cheap_first),
        "cheap first {cheap_first} times of 400"
    );
    assert!((150..250).contains(&two), "two values {two} times of 400");
    assert_eq!(pick(&question.options, Some(1), &mut rng), Some(2));
    assert_eq!(pick(&question.options[..1], None, &mut rng), None);
}

#[test]
fn percentiles_use_the_nearest_rank() {
    let latencies_us = vec![10, 20, 30, 40];
    let result = LoadResult {
        requests: 4,
        seconds: 2.0,
        latencies_us,
        ..Default::default()
    };
    assert_eq!(result.throughput(), 2.0);
    let ranks = [0.0, 25.0, 50.0, 51.0, 99.0, 100.0].map(|p| result.percentile(p));
    assert_eq!(ranks, [10.0, 10.0, 20.0, 30.0, 40.0, 40.0]);
    assert_eq!(LoadResult::default().percentile(50.0), 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_jacket_conversations_run_against_the_real_server() {
    let mut settings = crate::settings::Settings::default();
    settings.server.addr = "127.0.0.1:0".into();
    settings.server.workers = 1;
    settings.limits.requests_per_second = 0;
    settings.limits.conversations_per_hour = 0;
    settings.sessions.store = crate::settings::StoreKind::Memory;
    let (shop, problems) = crate::shop::Shop::load(&settings.paths);
    let shop = shop.unwrap_or_else(|| panic!("shipped files load:\n{}", problems.render()));
    let (server, addrs) = crate::http::start(Arc::new(shop), &settings).expect("server binds");
    let handle = server.handle();
    tokio::spawn(server);
    let options = LoadOptions {
        connections: 2,
        duration: Duration::from_millis(500),
        warmup: Duration::from_millis(50),
        seed: 1,
    };
    let result = conversation_load(addrs[0], "jackets", &options).await;
    handle.stop(true).await;
    assert_eq!(result.errors, 0, "{result:?}");
    assert!(result.conversations_completed > 0, "{result:?}");
    assert_eq!(result.latencies_us.len() as u64, result.requests);
    // A start and at least one answer per completed conversation.
    assert!(
        result.requests >= 2 * result.conversations_completed,
        "{result:?}"
    );
}

#[test]
fn no_preference_is_never_combined_with_another_option() {
    let choice = |value: &str, count, no_preference| Choice {
        value: value.into(),
        count,
        no_preference,
    };
    let question = Question {
        question_id: "features".into(),
        kind: "multiple".into(),
        options: vec![
            choice("pockets", 5, false),
            choice("hood", 5, false),
            choice("any", 10, true),
        ],
    };
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for _ in 0..200 {
        let body = answer(&question, 1, &mut rng).expect("an answer");
        let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        let values = body["input"]["values"].as_array().expect("values");
        assert!(
            values.len() == 1 || !values.contains(&json!("any")),
            "{body}"
        );
    }
}
