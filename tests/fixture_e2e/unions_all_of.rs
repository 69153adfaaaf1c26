//! Runs inside the crate generated from `tests/fixtures/unions_all_of.yaml` (see
//! `tests/compile_fixtures.rs`): a union mixed into an object is a flattened field.

use fixture_unions_all_of::rules::CreateBody as CreateRuleBody;
use fixture_unions_all_of::types::{Action, BlockAction, BlockActionAction, Rule, RuleVariant};
use serde_json::json;

#[test]
fn the_union_shares_the_objects_json() {
    let body = CreateRuleBody {
        enabled: true,
        variant: Action::Block(BlockAction { action: BlockActionAction::Block, status: Some(403) }),
    };
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({"enabled": true, "action": "block", "status": 403}));
    let rule: Rule = serde_json::from_value(json!({"id": "r1", "action": "redirect", "url": "https://example.com/"})).unwrap();
    assert_eq!(rule.id, "r1");
    let RuleVariant::Redirect(redirect) = rule.variant else { panic!("not a redirect: {:?}", rule.variant) };
    assert_eq!(redirect.url, "https://example.com/");
}

#[test]
fn a_wrong_member_body_fails_the_whole_object() {
    assert!(serde_json::from_value::<Rule>(json!({"id": "r1", "action": "redirect"})).is_err());
}
