/** Outline glyphs for the layout's regions; stroke follows the text colour. */
const base = { viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.5, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export const FlatIcon = () => (
  <svg {...base}>
    <path d="M8 3 4 5.5 2.5 10l3 1V21h13V11l3-1L20 5.5 16 3c-.5 1.7-2 3-4 3s-3.5-1.3-4-3Z" />
  </svg>
);
export const SwatchIcon = () => (
  <svg {...base}>
    <rect x="3" y="3" width="8" height="8" rx="1" />
    <rect x="13" y="3" width="8" height="8" rx="1" />
    <rect x="3" y="13" width="8" height="8" rx="1" />
    <path d="M13 17h8M17 13v8" />
  </svg>
);
export const PromptIcon = () => (
  <svg {...base}>
    <path d="M4 5h16v11H9l-5 4V5Z" />
    <path d="M8 9h8M8 12h5" />
  </svg>
);
export const VariantsIcon = () => (
  <svg {...base}>
    <rect x="2.5" y="4" width="8.5" height="16" rx="1" />
    <rect x="13" y="4" width="8.5" height="16" rx="1" />
  </svg>
);
export const MotifIcon = () => (
  <svg {...base}>
    <circle cx="10.5" cy="10.5" r="6" />
    <path d="m15 15 6 6M10.5 6.5v8M6.5 10.5h8" />
  </svg>
);
export const TechPackIcon = () => (
  <svg {...base}>
    <path d="M6 3h9l4 4v14H6V3Z" />
    <path d="M15 3v4h4M9 12h7M9 15h7M9 18h4" />
  </svg>
);
export const ModelIcon = () => (
  <svg {...base}>
    <path d="m12 3 8 4.5v9L12 21l-8-4.5v-9L12 3Z" />
    <path d="m4 7.5 8 4.5 8-4.5M12 12v9" />
  </svg>
);
