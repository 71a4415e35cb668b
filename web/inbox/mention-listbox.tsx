// The @-picker's list (use-mention-picker.ts drives it). Options are chosen with a pointer too:
// mousedown is prevented so the box keeps focus and its caret.
import type { MentionPicker } from './use-mention-picker.ts';

export function MentionListbox({ picker }: { picker: MentionPicker }) {
  return (
    <div
      id={picker.listId}
      role="listbox"
      aria-label="Mention a teammate"
      className="mention-list"
      hidden={picker.options.length === 0}
    >
      {picker.options.map((option, index) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard works through the combobox (arrows, Enter, Tab).
        <div
          key={option.member.user_id}
          id={picker.optionId(index)}
          role="option"
          tabIndex={-1}
          aria-selected={index === picker.active}
          className="mention-list__option"
          onMouseDown={(event) => event.preventDefault()}
          onMouseEnter={() => picker.setActive(index)}
          onClick={() => picker.choose(index)}
        >
          <span className="mention-list__name">{option.handle}</span>
          {option.member.name && <span className="mention-list__email">{option.member.email}</span>}
        </div>
      ))}
    </div>
  );
}
