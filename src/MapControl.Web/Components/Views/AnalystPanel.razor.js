// The JS half of AnalystPanel.razor: saves a data URL (the exported map PNG) as a file.
export function download(dataUrl, fileName) {
    const a = document.createElement('a');
    a.href = dataUrl;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
}
