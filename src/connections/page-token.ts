// Associated data that binds a sealed Page token to its organization and Page (R17): a ciphertext
// copied into another organization's row, or onto another Page, does not decrypt.
export const pageTokenAad = (orgId: string, pageId: string) => `page-token|${orgId}|${pageId}`;
export const unsubscribeAad = (pageId: string) => `unsubscribe|${pageId}`;
