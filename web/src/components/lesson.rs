//! The lesson pane: the current chapter of the French course, rendered from Markdown.

use yew::prelude::*;

use crate::state::render_markdown;

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub chapter: &'static courseware::Chapter,
    pub number: usize,
    pub total: usize,
}

#[function_component(LessonPane)]
pub fn lesson_pane(props: &LessonProps) -> Html {
    let markdown = props.chapter.markdown;
    let body = use_memo(markdown, |md| render_markdown(md));
    let content = Html::from_html_unchecked(AttrValue::from((*body).clone()));
    html! {
        <section class="pane lesson" aria-label="Leçon">
            <p class="lesson-progress">
                { format!("Chapitre {} sur {}", props.number, props.total) }
            </p>
            <article class="lesson-body">{ content }</article>
        </section>
    }
}
