import { Component, type ReactNode } from 'react';

interface Props {
  title: string;
  reloadLabel: string;
  children: ReactNode;
}

/** A render error shows what happened and a way out instead of a blank window. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="notice" role="alert" data-testid="app-crashed">
        <h1>{this.props.title}</h1>
        <pre className="notice__detail">{error.message}</pre>
        <button type="button" className="button button--primary" onClick={() => window.location.reload()}>
          {this.props.reloadLabel}
        </button>
      </div>
    );
  }
}
