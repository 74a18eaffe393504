import { useTranslation } from 'react-i18next';
import type { PackProblem } from '../../../../shared/contract';

/** What is wrong with a pack, file by file: the kind of problem in the technician's language, then main's message, which names the file. */
export function ProblemList({ problems }: { problems: readonly PackProblem[] }) {
  const { t } = useTranslation();
  return (
    <ul className="problem-list">
      {problems.map((p) => (
        <li key={`${p.issue}:${p.path}`} data-testid="pack-problem" data-issue={p.issue} data-path={p.path}>
          <span className="problem-list__issue">{t(`models:problem.${p.issue}`)}</span>
          <span className="problem-list__detail">{p.message}</span>
        </li>
      ))}
    </ul>
  );
}
