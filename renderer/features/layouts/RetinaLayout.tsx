/**
 * The ROP reading layout: right eye (OD) on the left and left eye (OS) on the right, as the
 * examiner faces the infant; under each, the visit's images of that eye and the earlier
 * visits of the same eye with their PMA. Clicking a pane makes it take the keyboard.
 */
import { useEffect, useState } from 'react';
import type { InstanceSummary } from '../../../core/api/schemas.ts';
import { Viewport } from '../viewer/Viewport.tsx';
import { eyeOf, priorsOfEye, visitByEye, type Eye } from './exam-groups.ts';
import { dateAndPma, type LayoutProps } from './layout-props.ts';
import { Thumbnail } from './Thumbnail.tsx';

const EYE_NAMES: Record<Eye, string> = { OD: 'OD (right eye)', OS: 'OS (left eye)' };

export function RetinaLayout(props: LayoutProps) {
  const { open, instances, exams } = props;
  const visit = visitByEye(open, instances);
  const openEye = eyeOf(open) ?? 'OD';
  const [shown, setShown] = useState<Record<Eye, string | undefined>>({
    OD: undefined,
    OS: undefined,
  });
  const [activeEye, setActiveEye] = useState<Eye>(openEye);

  useEffect(() => {
    // Opening an image from the worklist shows it in its eye's pane and gives that pane the keyboard.
    setShown((s) => ({ ...s, [openEye]: open.instanceId }));
    setActiveEye(openEye);
  }, [open.instanceId, openEye]);

  const pane = (eye: Eye) => {
    const priors = priorsOfEye(open, eye, instances);
    const candidates = [...visit[eye], ...priors];
    const image: InstanceSummary | undefined =
      candidates.find((i) => i.instanceId === shown[eye]) ?? visit[eye][0];
    const isPrior = image ? priors.includes(image) : false;
    return (
      <section className="retina-pane" aria-label={EYE_NAMES[eye]} data-eye={eye} key={eye}>
        {image ? (
          <Viewport
            instance={image}
            onError={props.onError}
            onReportChanged={props.onReportChanged}
            active={activeEye === eye}
            onActivate={() => setActiveEye(eye)}
            view={props.colourView}
            caption={`${EYE_NAMES[eye]} · ${isPrior ? 'prior · ' : ''}${dateAndPma(image, exams)}`}
            overlay={props.overlayFor(image.instanceId)}
            overlayDisplay={props.overlayDisplay}
            highlight={image.instanceId === open.instanceId ? props.highlight : undefined}
            testId={`viewport-${eye.toLowerCase()}`}
          />
        ) : (
          <p className="empty">No {EYE_NAMES[eye]} image in this visit.</p>
        )}
        <div className="image-strip" aria-label={`${eye} images`}>
          {visit[eye].map((i) => (
            <Thumbnail
              key={i.instanceId}
              instance={i}
              label="this visit"
              selected={i.instanceId === image?.instanceId}
              onSelect={() => setShown((s) => ({ ...s, [eye]: i.instanceId }))}
            />
          ))}
          {priors.map((i) => (
            <Thumbnail
              key={i.instanceId}
              instance={i}
              label={`prior · ${dateAndPma(i, exams)}`}
              selected={i.instanceId === image?.instanceId}
              onSelect={() => setShown((s) => ({ ...s, [eye]: i.instanceId }))}
            />
          ))}
        </div>
      </section>
    );
  };

  return (
    <div className="layout retina-layout" data-testid="retina-layout">
      {pane('OD')}
      {pane('OS')}
    </div>
  );
}
