//! What the workflow tests share.

use hipcoach_core::program::{QuestionId, QuestionKind, Response, questions};
use hipcoach_workflows::screening::applies;
use std::collections::BTreeMap;

/// Every safety question that applies, in order: the given answer, else "no", the first choice
/// (18–49 for age) or the smallest number.
pub fn responses(given: &[(QuestionId, Response)]) -> BTreeMap<QuestionId, Response> {
    let given: BTreeMap<QuestionId, Response> = given.iter().cloned().collect();
    let mut responses = BTreeMap::new();
    for question in questions() {
        if !applies(&question, &responses) {
            continue;
        }
        let response = given.get(&question.id).cloned().unwrap_or_else(|| match &question.kind {
            QuestionKind::YesNo => Response::YesNo(false),
            QuestionKind::Choice { choices } => {
                Response::Choice(choices[usize::from(question.id == QuestionId::AgeBand)].id.clone())
            }
            QuestionKind::Number { min, .. } => Response::Number(*min),
        });
        responses.insert(question.id, response);
    }
    responses
}
