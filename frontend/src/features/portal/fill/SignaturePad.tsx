// An optional drawn signature, in addition to the typed name (which is the signature, and the way to sign by
// keyboard): a canvas drawn on with a mouse, a finger or a stylus, kept as a small PNG.
import { useEffect, useId, useRef } from "preact/hooks";

const WIDTH = 480;
const HEIGHT = 160;
const INK = "#1f2330";

interface SignaturePadProps {
  /** A PNG data URL once something is drawn; null when cleared. */
  onDrawn: (png: string | null) => void;
  drawn: boolean;
}

export function SignaturePad({ onDrawn, drawn }: SignaturePadProps) {
  const id = useId();
  const canvas = useRef<HTMLCanvasElement>(null);
  const last = useRef<{ x: number; y: number } | null>(null);

  useEffect(() => {
    const context = canvas.current?.getContext("2d");
    if (!context) return;
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = INK;
  }, []);

  function point(event: PointerEvent): { x: number; y: number } {
    const box = (event.currentTarget as HTMLCanvasElement).getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * WIDTH, y: ((event.clientY - box.top) / box.height) * HEIGHT };
  }

  function down(event: PointerEvent) {
    event.preventDefault();
    (event.currentTarget as HTMLCanvasElement).setPointerCapture(event.pointerId);
    last.current = point(event);
  }

  function move(event: PointerEvent) {
    const from = last.current;
    const context = canvas.current?.getContext("2d");
    if (!from || !context) return;
    const to = point(event);
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    last.current = to;
  }

  function up() {
    if (!last.current) return;
    last.current = null;
    onDrawn(canvas.current?.toDataURL("image/png") ?? null);
  }

  function clear() {
    canvas.current?.getContext("2d")?.clearRect(0, 0, WIDTH, HEIGHT);
    onDrawn(null);
  }

  return (
    <div class="field">
      <p id={`${id}-label`} class="question-label">
        <strong>Draw your signature</strong> (optional)
      </p>
      <p id={`${id}-hint`} class="hint">
        Your typed name signs the form. You may also draw your signature here with a mouse, finger or stylus; it is
        added to the signed PDF.
      </p>
      <canvas
        ref={canvas}
        class="signature-pad"
        width={WIDTH}
        height={HEIGHT}
        role="img"
        aria-labelledby={`${id}-label`}
        aria-describedby={`${id}-hint`}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
      />
      {drawn && (
        <button type="button" class="button-small button-secondary" onClick={clear}>
          Clear the drawing
        </button>
      )}
    </div>
  );
}
