import { useId } from 'react';
import type { PendingPageView } from '../../api/contract.ts';
import { instagramLabel, unavailableReasonLabel } from './meta-labels.ts';

type Props = { page: PendingPageView; checked: boolean; onSelect: () => void };

/**
 * One Page in the picker: a native radio (arrow keys and Space work as in any radio group) whose
 * accessible name is just the Page name; the Instagram account and any reason it can't be chosen are
 * its description. The whole row is the label, so it is one large click target.
 */
export function MetaPageOption({ page, checked, onSelect }: Props) {
  const id = useId();
  const nameId = `${id}-name`;
  const instagramId = `${id}-instagram`;
  const reasonId = `${id}-reason`;

  return (
    <label className="page-option" data-unavailable={page.available ? undefined : true}>
      <input
        type="radio"
        name="meta-page"
        value={page.id}
        checked={checked}
        disabled={!page.available}
        onChange={onSelect}
        aria-labelledby={nameId}
        aria-describedby={page.available ? instagramId : `${instagramId} ${reasonId}`}
      />
      <span className="page-option__text">
        <span id={nameId} className="page-option__name">
          {page.name}
        </span>
        <span id={instagramId} className="page-option__instagram">
          {instagramLabel(page.instagram_username)}
        </span>
        {!page.available && (
          <span id={reasonId} className="page-option__reason">
            {unavailableReasonLabel(page.unavailable_reason)}
          </span>
        )}
      </span>
    </label>
  );
}
