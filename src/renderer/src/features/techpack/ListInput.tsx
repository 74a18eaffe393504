import { useEffect, useState, type InputHTMLAttributes } from 'react';
import { splitList } from './ids';

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> & { value: readonly string[]; onChange(value: string[]): void };

/**
 * A comma-separated list typed as text (sizes, grade increments). The text is kept locally while typing,
 * so a trailing comma or space survives until the next piece is typed.
 */
export function ListInput({ value, onChange, ...rest }: Props) {
  const [text, setText] = useState(value.join(', '));
  useEffect(() => {
    // Resync only when the list changed from outside (a reload), not from our own typing.
    setText((cur) => (splitList(cur).join('\u0000') === value.join('\u0000') ? cur : value.join(', ')));
  }, [value]);
  return (
    <input
      {...rest}
      className="text-input"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(splitList(e.target.value));
      }}
    />
  );
}
