//! What the logs say about customers: conversations by a short tag, never by their id (the key
//! that opens a conversation); the client's address and user agent only when turned on.

use crate::helpers::{serve_binary_logged, shipped_copy};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_name_conversations_by_a_tag_and_keep_clients_out() {
    // Regression: every request line carried the full conversation id, the client address and
    // the user agent.
    for (details, name) in [(false, "logs-private"), (true, "logs-details")] {
        let dir = shipped_copy(name);
        let env = [
            ("ADVISOR__SESSIONS__STORE", "memory"),
            (
                "ADVISOR__LOG__CLIENT_DETAILS",
                if details { "true" } else { "false" },
            ),
        ];
        let (mut child, app, logged) = serve_binary_logged(&dir, &env);
        let (_, reply) = {
            let response = app
                .client
                .post(format!("{}/v1/conversations", app.base))
                .header("user-agent", "secret-agent/1.0")
                .json(&serde_json::json!({"advisor": "jackets", "locale": "en"}))
                .send()
                .await
                .expect("POST");
            let status = response.status().as_u16();
            (
                status,
                response.json::<serde_json::Value>().await.expect("JSON"),
            )
        };
        let id = reply["conversation_id"].as_str().expect("id").to_string();
        let next = app.answer_last(&reply).await;
        assert_eq!(next["turn"], 1);
        let (status, _) = app.get(&format!("/v1/conversations/{id}")).await;
        assert_eq!(status, 200);
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let _ = child.kill();
        let _ = child.wait();
        let lines = logged.lock().expect("lines").clone();
        let all = lines.join("\n");
        assert!(!all.contains(&id), "the conversation id is logged:\n{all}");
        let tag = advisor::ids::ConversationId::parse(&id).expect("id").tag();
        assert!(
            all.contains(&tag),
            "the conversation's tag is logged:\n{all}"
        );
        assert!(
            all.contains("/v1/conversations/{id}/turns"),
            "the route pattern is logged:\n{all}"
        );
        assert_eq!(all.contains("secret-agent"), details, "{all}");
        assert_eq!(all.contains("http.client_ip"), details, "{all}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
