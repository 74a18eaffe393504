import { Trans, useTranslation } from 'react-i18next';
import { CatalogueRow } from './CatalogueRow';
import { InstalledPackRow } from './InstalledPackRow';
import { InstallCheckpointForm } from './InstallCheckpointForm';
import { InstallFromPathForm } from './InstallFromPathForm';
import { InstallOffer } from './InstallOffer';
import { licencesToAccept, OWN_CHECKPOINT_RECIPE } from './recipe-state';
import { RecipeRow } from './RecipeRow';
import { useModelPacks } from './useModelPacks';
import { latestJobByRecipe, useRecipes } from './useRecipes';
import { VERBATIM } from './verbatim';
import './models.css';

/**
 * The Models view: installed packs and their health, what a fresh install offers next, installs from
 * a checkpoint file or a pack on disk, and the catalogue (recipes assembled here, packs downloaded whole).
 */
export function ModelPacksPanel({ className }: { className?: string }) {
  const { t } = useTranslation();
  const models = useModelPacks();
  const { state } = models;
  const recipes = useRecipes(() => void models.reload());
  const recipeJobs = latestJobByRecipe(recipes.state.jobs);
  const ownRecipe = recipes.state.recipes.find((r) => r.id === OWN_CHECKPOINT_RECIPE);
  const ownCheckpointLicences = ownRecipe ? licencesToAccept(ownRecipe, ['checkpoint']) : [];
  const catalogueEmpty = state.status === 'ready' && !state.catalogueError && state.catalogue.length === 0;
  const recipesEmpty = recipes.state.status === 'ready' && !recipes.state.error && recipes.state.recipes.length === 0;

  return (
    <div className={`models ${className ?? ''}`} data-testid="panel-models" aria-busy={state.status === 'loading'}>
      <header className="page-header">
        <div>
          <h1 className="page-header__title">{t('models:title')}</h1>
          <p className="page-header__subtitle">{t('models:subtitle')}</p>
        </div>
        {state.status === 'ready' && (
          <span className="page-header__count" data-testid="installed-count">
            {t('models:installed.count', { count: state.packs.length })}
          </span>
        )}
      </header>

      {state.status === 'error' && (
        <div className="banner banner--error" role="alert" data-testid="models-error">
          <span>
            <strong>{t('models:loadFailed')}</strong> {state.error}
          </span>
          <button type="button" className="button" data-testid="models-retry" onClick={() => void models.reload()}>
            {t('models:retry')}
          </button>
        </div>
      )}

      {recipes.state.offers.length > 0 && (
        <ul className="install-offers" data-testid="install-offers">
          {recipes.state.offers.map((offer) => (
            <InstallOffer
              key={offer.jobId}
              offer={offer}
              pack={state.packs.find((p) => p.id === offer.result.packId && p.source === 'library') ?? null}
              onSetDefault={models.setDefault}
              onDismiss={recipes.dismissOffer}
            />
          ))}
        </ul>
      )}

      <section className="models__section" aria-labelledby="models-installed-title">
        <h2 id="models-installed-title" className="models__section-title">
          {t('models:installed.title')}
        </h2>
        {state.status === 'ready' && state.packs.length === 0 ? (
          <p className="empty-note models__empty" data-testid="installed-empty">
            {t('models:installed.empty')}
          </p>
        ) : (
          <ul className="pack-list" data-testid="installed-list">
            {state.packs.map((pack) => (
              // Keyed by source too: a library pack may shadow a bundled one of the same id.
              <InstalledPackRow
                key={`${pack.source}:${pack.id}`}
                pack={pack}
                onVerify={models.verify}
                onRemove={models.remove}
                onSetDefault={models.setDefault}
              />
            ))}
          </ul>
        )}
      </section>

      <section className="models__section" aria-labelledby="models-checkpoint-title">
        <h2 id="models-checkpoint-title" className="models__section-title">
          {t('models:checkpoint.title')}
        </h2>
        <InstallCheckpointForm
          jobs={recipes.state.jobs}
          progress={recipes.state.progress}
          licences={ownCheckpointLicences}
          onInstall={recipes.installCheckpoint}
          onCancel={recipes.cancel}
        />
      </section>

      <section className="models__section" aria-labelledby="models-install-title">
        <h2 id="models-install-title" className="models__section-title">
          {t('models:install.title')}
        </h2>
        <InstallFromPathForm onInstall={models.installFromPath} />
      </section>

      <section className="models__section" aria-labelledby="models-catalogue-title">
        <h2 id="models-catalogue-title" className="models__section-title">
          {t('models:catalogue.title')}
        </h2>
        {state.catalogueError && (
          <p className="form-error" role="alert" data-testid="catalogue-load-error">
            <strong>{t('models:catalogue.loadFailed')}</strong> {state.catalogueError}
          </p>
        )}
        <p className="models__intro" data-testid="recipes-intro">
          <Trans i18nKey="models:recipe.intro" components={VERBATIM} />
        </p>
        {recipes.state.error && (
          <p className="form-error" role="alert" data-testid="recipes-load-error">
            <strong>{t('models:catalogue.loadFailed')}</strong> {recipes.state.error}
          </p>
        )}
        {recipes.state.recipes.length > 0 && (
          <ul className="pack-list" data-testid="recipe-list">
            {recipes.state.recipes.map((item) => (
              <RecipeRow
                key={item.id}
                item={item}
                job={recipeJobs[item.id] ?? null}
                progress={recipes.state.progress}
                paused={recipes.state.paused}
                onInstall={recipes.install}
                onPause={recipes.pause}
                onCancel={recipes.cancel}
              />
            ))}
          </ul>
        )}
        {catalogueEmpty && recipesEmpty ? (
          <p className="empty-note models__empty" data-testid="catalogue-empty">
            {t('models:catalogue.empty')}
          </p>
        ) : (
          <ul className="pack-list" data-testid="catalogue-list">
            {state.catalogue.map((item) => (
              <CatalogueRow
                key={item.id}
                item={item}
                job={state.jobs[item.id] ?? null}
                progress={state.progress}
                onDownload={models.download}
                onPause={models.pause}
                onCancel={models.cancel}
              />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
