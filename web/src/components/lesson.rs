//! The lesson pane: the current chapter of the French course, rendered from Markdown.

use yew::prelude::*;

use crate::state::render_markdown;

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub chapter: &'static courseware::Chapter,
    pub number: usize,
    pub total: usize,
    /// Asks for another chapter, by number (from 1).
    pub on_go: Callback<usize>,
}

#[function_component(LessonPane)]
pub fn lesson_pane(props: &LessonProps) -> Html {
    let markdown = props.chapter.markdown;
    let body = use_memo(markdown, |md| render_markdown(md));
    let content = Html::from_html_unchecked(AttrValue::from((*body).clone()));
    // A new chapter starts at its top, not where the previous one was scrolled to.
    let pane = use_node_ref();
    {
        let pane = pane.clone();
        use_effect_with(props.number, move |_| {
            if let Some(element) = pane.cast::<web_sys::Element>() {
                element.set_scroll_top(0);
            }
        });
    }
    let go = |n: usize| {
        let cb = props.on_go.clone();
        Callback::from(move |_: MouseEvent| cb.emit(n))
    };
    html! {
        <section class="pane lesson" aria-label="Leçon" ref={pane}>
            <p class="lesson-progress">
                { format!("Chapitre {} sur {}", props.number, props.total) }
            </p>
            <article class="lesson-body">{ content }</article>
            <nav class="lesson-nav" aria-label="Chapitres">
                if props.number > 1 {
                    <button type="button" class="lesson-prev" onclick={go(props.number - 1)}>{ "← Chapitre précédent" }</button>
                }
                if props.number < props.total {
                    <button type="button" class="lesson-next" onclick={go(props.number + 1)}>{ "Chapitre suivant →" }</button>
                }
            </nav>
        </section>
    }
}
